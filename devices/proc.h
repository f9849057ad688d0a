/* Generators of /proc files (devices/proc_*.c). */
#ifndef EMU_PROC_H
#define EMU_PROC_H

#include <stddef.h>
#include <stdio.h>

struct process;

/* A host memfd holding text, at offset 0, or -errno. */
int proc_memfd(const char *text, size_t len);
void proc_status(struct process *p, FILE *f);
void proc_stat(struct process *p, FILE *f);
/* /proc/PID/maps: the VMAs, then the vsyscall page. */
void proc_maps(struct process *p, FILE *f);
void proc_cpuinfo(struct process *p, FILE *f);

#endif
