/* idiv of INT64_MIN by -1: the quotient does not fit, #DE as for a zero
 * divisor (SDM vol. 2A, IDIV), SIGFPE, status 136. */
#include "guest.inc"

	.globl	_start
_start:
	movabs	$0x8000000000000000, %rax
	cqo
	mov	$2, %ecx
	idiv	%rcx
	SHOW	"INT64_MIN / 2 = ", %rax
	movabs	$0x8000000000000000, %rax
	cqo
	mov	$-1, %rcx
	idiv	%rcx
	PUTS	"not reached\n"
	EXIT	0
