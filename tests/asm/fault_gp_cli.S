/* cli at CPL 3 is #GP(0) (IOPL is 0 in user mode); Linux sends SIGSEGV
 * with si_code SI_KERNEL, so the shell sees status 139. */
#include "guest.inc"

	.globl	_start
_start:
	PUTS	"before cli\n"
	cli
	PUTS	"not reached\n"
	EXIT	0
