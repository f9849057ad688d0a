/* The pages that hold decoded code on any CPU of a process: each CPU's
 * block cache keeps its own set (block.h); this counts, per page, how
 * many CPUs hold code there, so that a store on one CPU into a page
 * another CPU runs code from is seen (cross-modifying code, SDM vol. 3,
 * 8.1.3). Shared by the threads of a process; a spinlock guards it. */
#ifndef EMU_CODE_SPACE_H
#define EMU_CODE_SPACE_H

#include <stdint.h>

struct code_space;

struct code_space *code_space_new(void);
struct code_space *code_space_get(struct code_space *s);
void code_space_put(struct code_space *s);
/* One more CPU holds code in the page: the count now. */
unsigned code_space_add(struct code_space *s, uint64_t page);
void code_space_remove(struct code_space *s, uint64_t page);
unsigned code_space_count(struct code_space *s, uint64_t page);

#endif
