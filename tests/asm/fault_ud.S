/* ud2 raises #UD; Linux sends SIGILL, so the shell sees status 132. */
#include "guest.inc"

	.globl	_start
_start:
	PUTS	"before ud2\n"
	ud2
	PUTS	"not reached\n"
	EXIT	0
