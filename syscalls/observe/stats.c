/* --stats: the guest's counters when it ends, on stderr. With -f each
 * process of the run prints its own block at its exit, every line marked
 * "[pid N] " as strace -f marks a process's lines on stderr (a top
 * process cannot wait for the sums of descendants that outlive it). The
 * block is written with one write(2), so that processes ending together
 * never mix their lines. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../devices/dev.h"
#include "../trace.h"

static void stat_line(FILE *out, const char *prefix, const char *label,
                      unsigned long long value) {
  fprintf(out, "%s%-24s %llu\n", prefix, label, value);
}

void trace_stats(struct process *p) {
  char prefix[32] = "";
  if (p->opt && p->opt->follow)
    snprintf(prefix, sizeof prefix, "[pid %d] ", p->pid);
  char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&text, &len);
  if (!out)
    return;
  /* The process's threads summed: the leader's counts and those of the
   * threads that ended (all have, by now: thread_finish). */
  struct cpu *c = &p->cpu;
  const struct signal_shared *s = p->sig;
  fprintf(out, "%s--- emu stats ---\n", prefix);
  stat_line(out, prefix, "instructions", c->instret + s->ended.instret);
  stat_line(out, prefix, "cycles",
            c->cycles - p->det_skipped + s->ended.cycles);
#define X(name, text) stat_line(out, prefix, text, p->sig->stats.name);
  KERNEL_COUNTERS(X)
#undef X
  stat_line(out, prefix, "tlb hits", p->mmu.stats.tlb_hits + s->ended.tlb_hits);
  stat_line(out, prefix, "tlb misses",
            p->mmu.stats.tlb_misses + s->ended.tlb_misses);
  stat_line(out, prefix, "page walks",
            p->mmu.stats.page_walks + s->ended.page_walks);
  if (s->ended.threads)
    stat_line(out, prefix, "threads started",
              (unsigned long long)s->ended.threads);
  stat_line(out, prefix, "frames in use", p->mmu.space->frames_used);
  uint64_t shown;
  if (dev_frames_presented(&shown)) /* this process showed the display */
    stat_line(out, prefix, "frames presented", shown);
  fclose(out);
  fflush(stderr);
  for (size_t done = 0; done < len;) {
    ssize_t w = write(STDERR_FILENO, text + done, len - done);
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  free(text);
}
