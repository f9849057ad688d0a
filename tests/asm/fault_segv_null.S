/* A store to address 0 (no page there): #PF, SIGSEGV, status 139. */
#include "guest.inc"

	.globl	_start
_start:
	PUTS	"before the null store\n"
	xor	%eax, %eax
	movq	$1, (%rax)
	PUTS	"not reached\n"
	EXIT	0
