/* Anonymous mmap/mprotect/munmap with raw syscalls, and the errors Linux
 * returns for bad arguments. Prints no addresses (they move with ASLR). */
#include "guest.inc"

	.globl	_start
_start:
	/* mmap(NULL, 3 pages, RW, PRIVATE|ANONYMOUS, -1, 0) */
	xor	%edi, %edi
	mov	$0x3000, %esi
	mov	$(PROT_READ | PROT_WRITE), %edx
	mov	$(MAP_PRIVATE | MAP_ANONYMOUS), %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	mov	$SYS_mmap, %eax
	syscall
	mov	%rax, %rbx
	mov	%rbx, %rax
	and	$0xfff, %eax
	SHOW	"page offset of mapping: ", %rax

	mov	(%rbx), %rax
	or	0x1800(%rbx), %rax
	or	0x2ff8(%rbx), %rax
	SHOW	"anonymous pages are zero: ", %rax
	movq	$-2, %rax
	mov	%rax, 0x1000(%rbx)
	mov	0x1000(%rbx), %rdx
	SHOW	"stored: ", %rdx

	/* Read-only then writable again; the data survives. */
	mov	%rbx, %rdi
	mov	$0x3000, %esi
	mov	$PROT_READ, %edx
	mov	$SYS_mprotect, %eax
	syscall
	SHOW	"mprotect(R) = ", %rax
	mov	0x1000(%rbx), %rdx
	SHOW	"still readable: ", %rdx

	/* Unmap the middle page and map a fresh one there with MAP_FIXED. */
	lea	0x1000(%rbx), %rdi
	mov	$0x1000, %esi
	mov	$SYS_munmap, %eax
	syscall
	SHOW	"munmap(middle) = ", %rax
	lea	0x1000(%rbx), %rdi
	mov	$0x1000, %esi
	mov	$(PROT_READ | PROT_WRITE), %edx
	mov	$(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	mov	$SYS_mmap, %eax
	syscall
	sub	%rbx, %rax
	SHOW	"MAP_FIXED lands at +", %rax
	mov	0x1000(%rbx), %rdx
	SHOW	"fresh middle page: ", %rdx

	/* Errors: length 0 and an unaligned MAP_FIXED are -EINVAL (-22);
	 * munmap of an unaligned address too. */
	xor	%edi, %edi
	xor	%esi, %esi
	mov	$PROT_READ, %edx
	mov	$(MAP_PRIVATE | MAP_ANONYMOUS), %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	mov	$SYS_mmap, %eax
	syscall
	SHOW	"mmap(len 0) = ", %rax
	lea	1(%rbx), %rdi
	mov	$0x1000, %esi
	mov	$PROT_READ, %edx
	mov	$(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), %r10d
	mov	$-1, %r8
	xor	%r9d, %r9d
	mov	$SYS_mmap, %eax
	syscall
	SHOW	"mmap(fixed, unaligned) = ", %rax
	lea	1(%rbx), %rdi
	mov	$0x1000, %esi
	mov	$SYS_munmap, %eax
	syscall
	SHOW	"munmap(unaligned) = ", %rax

	/* Whole range away; unmapping it twice is not an error. */
	mov	%rbx, %rdi
	mov	$0x3000, %esi
	mov	$SYS_munmap, %eax
	syscall
	SHOW	"munmap(all) = ", %rax
	mov	%rbx, %rdi
	mov	$0x3000, %esi
	mov	$SYS_munmap, %eax
	syscall
	SHOW	"munmap(all) again = ", %rax
	EXIT	0
