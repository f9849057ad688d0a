/* div by zero raises #DE; Linux sends SIGFPE, status 136. */
#include "guest.inc"

	.globl	_start
_start:
	mov	$100, %eax
	xor	%edx, %edx
	mov	$7, %ecx
	div	%ecx
	SHOW	"100 / 7 = ", %rax
	mov	$100, %eax
	xor	%edx, %edx
	xor	%ecx, %ecx
	div	%ecx
	PUTS	"not reached\n"
	EXIT	0
