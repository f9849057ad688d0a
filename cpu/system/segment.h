/* Segment selectors in 64-bit user mode, checked against the descriptor
 * table Linux gives every process (cpu/segment.c). Shared by the
 * segment-register moves and the far transfers (cpu/far_branch.c). */
#ifndef EMU_SEGMENT_H
#define EMU_SEGMENT_H

#include "../cpu.h"

/* Segment registers in the order of ModRM.reg for 8C/8E (SDM vol. 2,
 * MOV—Move to/from Segment Registers). */
enum sreg { SREG_ES, SREG_CS, SREG_SS, SREG_DS, SREG_FS, SREG_GS };

/* The #GP error code for a selector: its index and TI bit (SDM vol. 3,
 * 6.13). */
#define SEG_ERROR(sel) ((uint32_t)((sel)&0xfffc))

/* The code segment a far transfer lands in. */
enum far_target {
  FAR_CODE64, /* __USER_CS: stays in 64-bit mode */
  FAR_CODE32, /* __USER32_CS: compatibility mode */
};

/* The selector a segment register holds (CS and SS are fixed). */
uint16_t seg_get(const struct cpu *c, enum sreg r);
/* Load a selector into ES, SS, DS, FS or GS as `mov Sreg` does, raising
 * #GP(selector) for one this process's descriptor tables refuse. */
void seg_load(struct cpu *c, enum sreg r, uint16_t sel);
/* Check the code-segment selector of a far jmp/call (`is_return` false)
 * or of a retf/iret (true); raises #GP as the CPU does. */
enum far_target seg_check_code(struct cpu *c, uint16_t sel, bool is_return);
/* Check the stack-segment selector an iret pops; raises #GP. */
void seg_check_stack(struct cpu *c, uint16_t sel);
/* The descriptor `sel` names, if user code may see it (all such are
 * DPL 3): its second doubleword (type, S, DPL, P, limit 19:16, AVL, L,
 * D/B, G) and its limit in bytes. False for any other selector. */
bool seg_user_descriptor(uint16_t sel, uint32_t *high, uint32_t *limit);

#endif
