/* A store to a present read-only page: #PF with P=1 W=1 U=1 in the error
 * code, SIGSEGV (SEGV_ACCERR), status 139. The read before it works. */
#include "guest.inc"

	.globl	_start
_start:
	xor	%edi, %edi
	mov	$0x1000, %esi
	mov	$PROT_READ, %edx
	mov	$(MAP_PRIVATE | MAP_ANONYMOUS), %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	mov	$SYS_mmap, %eax
	syscall
	mov	%rax, %rbx
	mov	(%rbx), %rdx
	SHOW	"read of a read-only page: ", %rdx
	movb	$1, 8(%rbx)
	PUTS	"not reached\n"
	EXIT	0
