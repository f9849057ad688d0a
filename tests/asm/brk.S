/* brk: query, grow by three pages, touch both ends, shrink, and ask for
 * an impossible break (Linux returns the old break: mm/mmap.c, brk).
 * Prints only differences from the first break, which moves with ASLR. */
#include "guest.inc"

	.globl	_start
_start:
	xor	%edi, %edi
	mov	$SYS_brk, %eax
	syscall
	mov	%rax, %rbx		/* rbx = initial break */

	lea	0x3000(%rbx), %rdi
	mov	$SYS_brk, %eax
	syscall
	sub	%rbx, %rax
	SHOW	"grow by 0x3000 -> delta ", %rax

	/* The new pages are zero and writable. */
	mov	(%rbx), %rax
	or	0x2ff8(%rbx), %rax
	SHOW	"fresh pages or'ed: ", %rax
	movq	$0x1122334455667788, %rax
	mov	%rax, (%rbx)
	mov	%rax, 0x2ff8(%rbx)
	mov	0x2ff8(%rbx), %rdx
	SHOW	"read back: ", %rdx

	lea	0x1000(%rbx), %rdi
	mov	$SYS_brk, %eax
	syscall
	sub	%rbx, %rax
	SHOW	"shrink to 0x1000 -> delta ", %rax
	mov	(%rbx), %rdx
	SHOW	"first page kept: ", %rdx

	/* Growing again gives zeroed pages, not the old contents. */
	lea	0x3000(%rbx), %rdi
	mov	$SYS_brk, %eax
	syscall
	mov	0x2ff8(%rbx), %rdx
	SHOW	"regrown page: ", %rdx

	/* A break below the start fails: brk returns the current break. */
	mov	$0x1000, %edi
	mov	$SYS_brk, %eax
	syscall
	sub	%rbx, %rax
	SHOW	"brk(0x1000) -> delta ", %rax

	EXIT	0
