/* Enter a snippet with the whole register state of a struct diff_state
 * (tests/diff/diff.h): FXSAVE image at 0, gpr[16] at 512, rip at 640,
 * rflags at 648. Never returns: the snippet ends in int3 or a fault, and
 * the signal handler in native.c takes the state from the signal frame. */
	.text
	.globl	diff_native_enter
	.type	diff_native_enter, @function
diff_native_enter:
	fxrstor64 (%rdi)
	pushq	648(%rdi)
	popfq
	movq	512+0*8(%rdi), %rax
	movq	512+1*8(%rdi), %rcx
	movq	512+2*8(%rdi), %rdx
	movq	512+3*8(%rdi), %rbx
	movq	512+5*8(%rdi), %rbp
	movq	512+6*8(%rdi), %rsi
	movq	512+8*8(%rdi), %r8
	movq	512+9*8(%rdi), %r9
	movq	512+10*8(%rdi), %r10
	movq	512+11*8(%rdi), %r11
	movq	512+12*8(%rdi), %r12
	movq	512+13*8(%rdi), %r13
	movq	512+14*8(%rdi), %r14
	movq	512+15*8(%rdi), %r15
	movq	512+4*8(%rdi), %rsp
	movq	512+7*8(%rdi), %rdi
	/* An absolute indirect jump uses no register. */
	jmp	*diff_native_target(%rip)
	.size	diff_native_enter, .-diff_native_enter

	.data
	.balign	8
	.globl	diff_native_target
diff_native_target:
	.quad	0

	.section .note.GNU-stack,"",@progbits
