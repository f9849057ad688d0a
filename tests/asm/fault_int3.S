/* int3 raises #BP; Linux sends SIGTRAP, status 133. */
#include "guest.inc"

	.globl	_start
_start:
	PUTS	"before int3\n"
	int3
	PUTS	"not reached\n"
	EXIT	0
