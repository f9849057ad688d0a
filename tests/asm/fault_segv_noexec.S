/* A jump into a readable, writable but not executable page: #PF with
 * I/D=1 (NX, SDM vol. 3A 4.7), SIGSEGV, status 139. */
#include "guest.inc"

	.globl	_start
_start:
	xor	%edi, %edi
	mov	$0x1000, %esi
	mov	$(PROT_READ | PROT_WRITE), %edx
	mov	$(MAP_PRIVATE | MAP_ANONYMOUS), %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	mov	$SYS_mmap, %eax
	syscall
	mov	%rax, %rbx
	movb	$0xc3, (%rbx)		/* ret */
	PUTS	"calling into a no-exec page\n"
	call	*%rbx
	PUTS	"not reached\n"
	EXIT	0
