/* The smallest guest: one write, then exit with a status the test
 * compares (42). */
#include "guest.inc"

	.globl	_start
_start:
	PUTS	"hello from a raw syscall\n"
	/* exit (60), not exit_group: both end a single-threaded process. */
	mov	$42, %edi
	mov	$SYS_exit, %eax
	syscall
	ud2
