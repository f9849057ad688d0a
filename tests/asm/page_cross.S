/* Accesses that straddle a page boundary (the MMU must split them and
 * fault in both pages): loads and stores of 2, 4, 8 and 16 bytes, a
 * locked read-modify-write, and a rep movsb across the boundary. */
#include "guest.inc"

	.globl	_start
_start:
	xor	%edi, %edi
	mov	$0x2000, %esi
	mov	$(PROT_READ | PROT_WRITE), %edx
	mov	$(MAP_PRIVATE | MAP_ANONYMOUS), %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	mov	$SYS_mmap, %eax
	syscall
	mov	%rax, %rbx
	lea	0x1000(%rbx), %r12	/* r12 = the boundary */

	/* 8-byte store across the boundary, read back in pieces. */
	movq	$0x0807060504030201, %rax
	mov	%rax, -4(%r12)
	mov	-4(%r12), %rdx
	SHOW	"qword across: ", %rdx
	mov	-4(%r12), %edx
	SHOW	"low dword (first page): ", %rdx
	mov	(%r12), %edx
	SHOW	"high dword (second page): ", %rdx
	movzwl	-1(%r12), %edx
	SHOW	"word across: ", %rdx
	mov	-3(%r12), %edx
	SHOW	"dword across: ", %rdx

	/* 16-byte SSE load/store across the boundary. */
	movdqu	-8(%r12), %xmm0
	movdqu	%xmm0, -24(%r12)
	mov	-16(%r12), %rdx
	SHOW	"movdqu copy: ", %rdx

	/* Locked add across the boundary (a split lock). */
	movq	$0x100000001, %rax
	lock add %rax, -4(%r12)
	mov	-4(%r12), %rdx
	SHOW	"lock add: ", %rdx

	/* xchg with memory across the boundary. */
	movq	$-1, %rax
	xchg	%rax, -2(%r12)
	SHOW	"xchg old: ", %rax
	mov	-8(%r12), %rdx
	SHOW	"after xchg: ", %rdx

	/* rep movsb of 64 bytes from the first page across into the second. */
	lea	-0x100(%r12), %rdi
	mov	$64, %ecx
	mov	$0x5a, %eax
	rep stosb
	lea	-0x100(%r12), %rsi
	lea	-32(%r12), %rdi
	mov	$64, %ecx
	rep movsb
	mov	%rdi, %r13
	sub	%r12, %r13
	mov	24(%r12), %rdx
	SHOW	"rep movsb tail: ", %rdx
	SHOW	"rdi after (from boundary): ", %r13
	EXIT	0
