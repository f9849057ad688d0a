/* A far jump to the 32-bit user code segment (0x23). Natively the CPU
 * goes on in compatibility mode; emu runs 64-bit code only, so it must
 * stop the guest with a report that says so (status 132, as SIGILL),
 * never run the target as 64-bit code. Not compared with a native run:
 * the point is the difference. */
#include "../asm/guest.inc"

	.globl	_start
_start:
	PUTS	"before ljmp\n"
	ljmpl	*target(%rip)
	PUTS	"not reached\n"
	EXIT	0

	.data
target:	.long	0x401000	/* m16:32: offset, then selector */
	.word	0x23
