/* System calls that fail return -errno in rax (never touch errno: there
 * is no libc). Each line is a Linux error the emulated kernel must give. */
#include "guest.inc"

	.data
missing:	.asciz	"/nonexistent/emu-test-file"
	.text
	.globl	_start
_start:
	/* write to a closed fd: -EBADF (-9) */
	mov	$SYS_write, %eax
	mov	$57, %edi
	lea	missing(%rip), %rsi
	mov	$1, %edx
	syscall
	SHOW	"write(57) = ", %rax

	/* write from an unmapped buffer: -EFAULT (-14) */
	mov	$SYS_write, %eax
	mov	$1, %edi
	mov	$16, %esi
	mov	$4, %edx
	syscall
	SHOW	"write(1, 0x10) = ", %rax

	/* open a missing file: -ENOENT (-2) */
	mov	$SYS_open, %eax
	lea	missing(%rip), %rdi
	xor	%esi, %esi
	xor	%edx, %edx
	syscall
	SHOW	"open(missing) = ", %rax

	/* read into an unmapped buffer from stdin closed: close(0) then
	 * read(0) gives -EBADF */
	mov	$SYS_close, %eax
	xor	%edi, %edi
	syscall
	SHOW	"close(0) = ", %rax
	mov	$SYS_close, %eax
	xor	%edi, %edi
	syscall
	SHOW	"close(0) again = ", %rax

	/* An unknown system call number: -ENOSYS (-38) */
	mov	$1000, %eax
	syscall
	SHOW	"syscall 1000 = ", %rax

	/* Write of length 0 succeeds with 0. */
	mov	$SYS_write, %eax
	mov	$1, %edi
	xor	%esi, %esi
	xor	%edx, %edx
	syscall
	SHOW	"write(1, NULL, 0) = ", %rax
	EXIT	3
