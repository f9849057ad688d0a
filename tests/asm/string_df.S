/* String instructions with REP/REPE/REPNE prefixes, forwards (DF=0) and
 * backwards (DF=1): SDM vol. 2B, MOVS/STOS/LODS/SCAS/CMPS and REP. Prints
 * buffers, final rsi/rdi as offsets, rcx and the flags that matter. */
#include "guest.inc"

	.data
buf:	.ascii	"0123456789abcdefghijklmnopqrstuv"	/* 32 bytes */
	.space	16, '.'
buf_end:
other:	.ascii	"0123456789abcdefghijkXmnopqrstuv"
words:	.space	32, 0

	.text
/* Print buf (48 bytes) and a newline. */
show_buf:
	lea	buf(%rip), %rsi
	mov	$48, %edx
	call	print
	PUTS	"\n"
	ret

	.globl	_start
_start:
	lea	buf(%rip), %rbx

	/* memmove right by 4 with an overlapping backward rep movsb. */
	std
	lea	31(%rbx), %rsi
	lea	35(%rbx), %rdi
	mov	$32, %ecx
	rep movsb
	cld
	mov	%rsi, %r12
	sub	%rbx, %r12
	mov	%rdi, %r13
	sub	%rbx, %r13
	mov	%rcx, %r14
	call	show_buf
	SHOW	"std rep movsb rsi: ", %r12
	SHOW	"std rep movsb rdi: ", %r13
	SHOW	"std rep movsb rcx: ", %r14

	/* Backward rep stosw over bytes 40..47. */
	std
	lea	46(%rbx), %rdi
	mov	$4, %ecx
	mov	$0x2b2d, %eax		/* "-+" */
	rep stosw
	pushfq
	pop	%r14
	cld
	mov	%rdi, %r13
	sub	%rbx, %r13
	call	show_buf
	SHOW	"std rep stosw rdi: ", %r13
	and	$0x400, %r14
	SHOW	"DF while set: ", %r14

	/* lodsq backwards: rsi moves down by 8 each time. */
	std
	lea	24(%rbx), %rsi
	lodsq
	mov	%rax, %r12
	lodsq
	mov	%rax, %r13
	cld
	mov	%rsi, %r14
	sub	%rbx, %r14
	SHOW	"lodsq 1: ", %r12
	SHOW	"lodsq 2: ", %r13
	SHOW	"lodsq rsi: ", %r14

	/* repne scasb forwards for 'k'. */
	mov	%rbx, %rdi
	mov	$48, %ecx
	mov	$'k', %eax
	repne scasb
	setz	%r12b
	movzbl	%r12b, %r12d
	mov	%rcx, %r13
	mov	%rdi, %r14
	sub	%rbx, %r14
	SHOW	"repne scasb found: ", %r12
	SHOW	"repne scasb rcx: ", %r13
	SHOW	"repne scasb rdi: ", %r14

	/* repne scasb backwards for '3', then for a byte that is absent. */
	std
	lea	47(%rbx), %rdi
	mov	$48, %ecx
	mov	$'3', %eax
	repne scasb
	setz	%r12b
	mov	%rcx, %r13
	mov	%rdi, %r14
	lea	47(%rbx), %rdi
	mov	$48, %ecx
	mov	$'#', %eax
	repne scasb
	setz	%r15b
	cld
	movzbl	%r12b, %r12d
	sub	%rbx, %r14
	SHOW	"std repne scasb found: ", %r12
	SHOW	"std repne scasb rcx: ", %r13
	SHOW	"std repne scasb rdi: ", %r14
	movzbl	%r15b, %r15d
	SHOW	"absent byte found: ", %r15

	/* repe cmpsb forwards: the strings differ at index 21. */
	lea	buf(%rip), %rdi
	lea	4(%rdi), %rsi		/* the shifted copy starts at buf+4 */
	lea	other(%rip), %rdi
	mov	$32, %ecx
	repe cmpsb
	pushfq
	pop	%r12
	and	$0x8d5, %r12		/* OF SF ZF AF PF CF */
	mov	%rcx, %r13
	lea	other(%rip), %r14
	sub	%r14, %rdi
	mov	%rdi, %r14
	SHOW	"repe cmpsb flags: ", %r12
	SHOW	"repe cmpsb rcx: ", %r13
	SHOW	"repe cmpsb rdi: ", %r14

	/* repe cmpsq backwards over equal data: runs to rcx = 0, ZF = 1. */
	std
	lea	24(%rbx), %rsi
	mov	%rsi, %rdi
	mov	$4, %ecx
	repe cmpsq
	pushfq
	pop	%r12
	cld
	and	$0x8d5, %r12
	mov	%rsi, %r13
	sub	%rbx, %r13
	SHOW	"std repe cmpsq flags: ", %r12
	SHOW	"std repe cmpsq rsi: ", %r13

	/* rep with rcx = 0 does nothing and leaves flags alone. */
	mov	$0, %ecx
	mov	%rbx, %rdi
	mov	$'!', %eax
	stc
	rep stosb
	setc	%r12b
	movzbl	%r12b, %r12d
	SHOW	"rcx=0 rep keeps CF: ", %r12
	call	show_buf

	/* movsd/movsw without rep, DF=1 (32-bit and 16-bit element sizes). */
	lea	words(%rip), %r15
	std
	lea	12(%rbx), %rsi
	lea	12(%r15), %rdi
	movsl
	movsl
	movsw
	cld
	mov	%rdi, %r13
	sub	%r15, %r13
	mov	4(%r15), %r12
	SHOW	"std movsl x2: ", %r12
	SHOW	"std movs rdi: ", %r13

	/* The 32-bit address-size form: rep stosb with ecx, edi (67 prefix). */
	lea	words(%rip), %rdi
	mov	$8, %ecx
	mov	$'=', %eax
	addr32 rep stosb
	mov	words(%rip), %r12
	SHOW	"addr32 rep stosb: ", %r12
	EXIT	0
