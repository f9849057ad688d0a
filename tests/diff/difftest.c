/* difftest: emu's CPU against the host CPU. Replays the named regression
 * cases, then runs random instruction sequences generated from emu's own
 * opcode table, natively (sandboxed child) and in emu, and compares the
 * complete user-visible state. Exits non-zero on any mismatch.
 *
 *   difftest [--seed S] [--count N | --seconds T] [--only MNEMONICS]
 *            [--regressions FILE] [--record FILE] [--case SEED]
 *            [--no-block-cache] [--max-reports N] [--forms]
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/decode/optable.h"
#include "diff.h"

#ifndef DIFF_REGRESSIONS
#define DIFF_REGRESSIONS "regressions.txt"
#endif

#define CHUNK 256

struct options {
  uint64_t seed, count, one_case;
  double seconds;
  const char *only, *regressions, *record;
  bool block_cache, forms, have_case, fault_report;
  uint64_t max_reports;
};

static void usage(void) {
  fprintf(
      stderr,
      "usage: difftest [--seed S] [--count N] [--seconds T]\n"
      "                [--only MNEMONIC[,MNEMONIC...]] [--regressions FILE]\n"
      "                [--record FILE] [--case SEED] [--no-block-cache]\n"
      "                [--max-reports N] [--forms]\n");
  exit(2);
}

static void parse(int argc, char **argv, struct options *o) {
  *o = (struct options){.seed = 1,
                        .count = 10000,
                        .block_cache = true,
                        .regressions = DIFF_REGRESSIONS,
                        .max_reports = 20};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--no-block-cache"))
      o->block_cache = false;
    else if (!strcmp(a, "--forms"))
      o->forms = true;
    else if (!strcmp(a, "--fault-report"))
      o->fault_report = true;
    else if (!v)
      usage();
    else if (!strcmp(a, "--seed"))
      o->seed = strtoull(v, NULL, 0), i++;
    else if (!strcmp(a, "--count"))
      o->count = strtoull(v, NULL, 0), i++;
    else if (!strcmp(a, "--seconds"))
      o->seconds = strtod(v, NULL), o->count = UINT64_MAX, i++;
    else if (!strcmp(a, "--only"))
      o->only = v, i++;
    else if (!strcmp(a, "--regressions"))
      o->regressions = v, i++;
    else if (!strcmp(a, "--record"))
      o->record = v, i++;
    else if (!strcmp(a, "--case"))
      o->one_case = strtoull(v, NULL, 0), o->have_case = true, i++;
    else if (!strcmp(a, "--max-reports"))
      o->max_reports = strtoull(v, NULL, 0), i++;
    else
      usage();
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct diff_stats stats;
static struct diff_result *nat, *emu;
static FILE *record;

/* The first j instructions of k, ending in int3 (a branch past the cut
 * lands in the int3 padding, alike on both sides). */
static void prefix_of(const struct diff_case *k, int j, struct diff_case *p) {
  *p = *k;
  p->n = j;
  int end = j < k->n ? k->insns[j].off : k->code_len - 1;
  p->code[end] = 0xcc;
  p->code_len = end + 1;
}

/* Counters of trial comparisons, thrown away. */
static struct diff_stats *quiet_stats_of(void) {
  static struct diff_stats quiet;
  if (!quiet.form_fails) {
    quiet.form_fails = calloc(OP_COUNT, sizeof *quiet.form_fails);
    quiet.form_masked = calloc(OP_COUNT, sizeof *quiet.form_masked);
  }
  return &quiet;
}
#define quiet_stats() (*quiet_stats_of())

/* The shortest mismatching prefix of a mismatching case: its last
 * instruction is the culprit. Returns its index, or -1 when no prefix
 * mismatches on its own (the whole case is kept then). */
static int reduce(const struct diff_case *k, struct diff_case *out) {
  static struct diff_result rn, re;
  for (int j = 1; j <= k->n; j++) {
    prefix_of(k, j, out);
    if (native_run(out, &rn, 1))
      break;
    emu_side_run(out, &re);
    if (!diff_compare(out, &rn, &re, &quiet_stats(), false))
      return j - 1;
  }
  *out = *k;
  return -1;
}

/* Cases the host cannot judge, counted by reason and listed at the end
 * ("skip: ..." lines, tests/scripts/skips.sh). */
enum skip_reason { SKIP_USER32_CS, SKIP_VENDOR, SKIP_UNSTABLE, SKIP_COUNT };
static uint64_t skipped[SKIP_COUNT];
static const char *skipped_example[SKIP_COUNT];
static bool host_lacks_user32_cs;

/* Linux built without IA32 emulation has no GDT entry 4 (USER32_CS,
 * 0x23); the model has it. lar tells without a fault. */
static bool probe_user32_cs(void) {
  uint64_t ar;
  uint8_t valid;
  __asm__("lar %2,%0; setz %1" : "=r"(ar), "=q"(valid) : "r"(0x23ul));
  return !valid;
}

/* Why the host cannot be the truth for case i, or -1. A segment load of
 * USER32_CS faults natively only where the host lacks it: the native
 * #GP's error code names the selector. */
static int host_cannot_judge(const struct diff_case *k,
                             const struct diff_result *n) {
  const char *form = gen_vendor_specific(k);
  if (form) {
    skipped_example[SKIP_VENDOR] = form;
    return SKIP_VENDOR;
  }
  if (host_lacks_user32_cs && n->end == END_GP && (n->error & ~7u) == 0x20)
    return SKIP_USER32_CS;
  return -1;
}

static void print_skipped(void) {
  static const char *const why[SKIP_COUNT] = {
      [SKIP_USER32_CS] = "a selector load of USER32_CS (0x20..0x23): the host "
                         "kernel's GDT has none (built without IA32 "
                         "emulation); the model's has it",
      [SKIP_VENDOR] = "a form whose result differs between CPU vendors by "
                      "design (the host is not AMD, the model is)",
      [SKIP_UNSTABLE] = "a native answer that the host did not repeat (emu "
                        "agrees with the repeats; each named above)",
  };
  for (int r = 0; r < SKIP_COUNT; r++)
    if (skipped[r])
      printf("skip: difftest: %" PRIu64 " sequences with %s%s%s\n", skipped[r],
             why[r], skipped_example[r] ? "; e.g. " : "",
             skipped_example[r] ? skipped_example[r] : "");
}

/* A mismatch is only a mismatch if the host gives the same answer
 * again. A case is deterministic (the full state and memory are
 * inputs), so a native answer that does not repeat is the host's, not
 * the model's: once, on a Zen 5 VM, an int3 after `bswap rsp` came back
 * as #UD with RF set, and never again in the same case. Two fresh runs
 * decide; if both agree with emu and not with the first answer, the
 * case is a printed skip, else it stands as a mismatch. */
static bool native_repeats(const struct diff_case *k,
                           const struct diff_result *first,
                           const struct diff_result *emu_r) {
  static struct diff_result again[2];
  for (int t = 0; t < 2; t++)
    if (native_run(k, &again[t], 1))
      return true;
  if (diff_compare(k, first, &again[0], &quiet_stats(), false) ||
      !diff_compare(k, &again[0], &again[1], &quiet_stats(), false) ||
      !diff_compare(k, &again[0], emu_r, &quiet_stats(), false))
    return true;
  printf("skip: difftest --case %#" PRIx64 ": native ended %s at %#" PRIx64
         " (signal %d) once, then twice as emu does (%s at %#" PRIx64 ")\n",
         k->seed, diff_end_name(first->end), first->s.rip, first->detail,
         diff_end_name(again[0].end), again[0].s.rip);
  return false;
}

/* Run n cases on both sides and compare; returns the mismatches. */
static uint64_t run_cases(struct diff_case *k, int n, uint64_t *reports,
                          uint64_t max_reports) {
  if (native_run(k, nat, n)) {
    fprintf(stderr, "difftest: the native sandbox could not be started\n");
    exit(2);
  }
  uint64_t bad = 0;
  for (int i = 0; i < n; i++) {
    if (!k[i].n && !k[i].name[0])
      continue;
    int skip = host_cannot_judge(&k[i], &nat[i]);
    if (skip >= 0) {
      skipped[skip]++;
      continue;
    }
    emu_side_run(&k[i], &emu[i]);
    if (!diff_compare(&k[i], &nat[i], &emu[i], &quiet_stats(), false) &&
        !native_repeats(&k[i], &nat[i], &emu[i])) {
      skipped[SKIP_UNSTABLE]++;
      continue;
    }
    stats.sequences++;
    stats.insns += emu[i].retired;
    stats.faults[nat[i].end]++;
    if (nat[i].end != END_OK)
      for (int j = 0; j < k[i].n; j++)
        if (DIFF_CODE_ADDR + k[i].insns[j].off == nat[i].s.rip)
          stats.form_faults[k[i].insns[j].op]++;
    for (int j = 0; j < k[i].n; j++)
      stats.form_runs[k[i].insns[j].op]++;
    bool verbose = *reports < max_reports;
    if (!diff_compare(&k[i], &nat[i], &emu[i], &stats, verbose)) {
      bad++;
      (*reports)++;
      if (k[i].name[0])
        continue;
      static struct diff_case small;
      int culprit = reduce(&k[i], &small);
      int op = culprit >= 0 ? small.insns[culprit].op : -1;
      if (op >= 0)
        stats.form_culprit[op]++;
      if (verbose)
        printf("  culprit: %s\n\n",
               op >= 0 ? cpu_ops[op].name : "(no prefix mismatches alone)");
      if (record) {
        char name[48];
        snprintf(name, sizeof name, "%s_%016" PRIx64,
                 op >= 0 ? cpu_ops[op].name : "sequence", k[i].seed);
        regress_write(record, &small, name);
      }
    }
  }
  return bad;
}

static void print_forms(void) {
  for (int op = 0; op < OP_COUNT; op++)
    printf("%4d %-12s %s\n", op, cpu_ops[op].name,
           gen_form_usable(op) ? "generated" : "not generated");
}

int main(int argc, char **argv) {
  struct options o;
  parse(argc, argv, &o);
  setvbuf(stdout, NULL, _IOLBF, 0);
  gen_init();
  if (o.forms) {
    print_forms();
    return 0;
  }
  if (o.only && !gen_select(o.only)) {
    fprintf(stderr, "difftest: no generated form matches --only %s\n", o.only);
    return 2;
  }
  if (native_start()) {
    fprintf(stderr, "difftest: cannot start the native sandbox\n");
    return 2;
  }
  emu_side_init(o.block_cache);
  host_lacks_user32_cs = probe_user32_cs();
  stats.form_runs = calloc(OP_COUNT, sizeof *stats.form_runs);
  stats.form_fails = calloc(OP_COUNT, sizeof *stats.form_fails);
  stats.form_masked = calloc(OP_COUNT, sizeof *stats.form_masked);
  stats.form_faults = calloc(OP_COUNT, sizeof *stats.form_faults);
  stats.form_culprit = calloc(OP_COUNT, sizeof *stats.form_culprit);
  struct diff_case *k = calloc(CHUNK, sizeof *k);
  nat = calloc(CHUNK, sizeof *nat);
  emu = calloc(CHUNK, sizeof *emu);
  if (o.record && !(record = fopen(o.record, "a"))) {
    perror(o.record);
    return 2;
  }
  uint64_t failed = 0, reports = 0;
  double start = now();

  /* 1. The named regressions (skipped with --only or --case). */
  struct diff_case *reg = NULL;
  int nreg = o.only || o.have_case ? 0 : regress_load(o.regressions, &reg);
  if (nreg < 0)
    fprintf(stderr, "difftest: no regression file %s\n", o.regressions);
  for (int at = 0; at < nreg; at += CHUNK) {
    int n = nreg - at < CHUNK ? nreg - at : CHUNK;
    failed += run_cases(reg + at, n, &reports, UINT64_MAX);
  }
  uint64_t reg_run = stats.sequences, reg_failed = failed;

  /* 2. Random sequences. */
  if (o.have_case) {
    gen_case(&k[0], o.one_case);
    k[0].seed = o.one_case;
    diff_print_case(&k[0]);
    failed += run_cases(k, 1, &reports, UINT64_MAX);
  } else {
    for (uint64_t done = 0; done < o.count;) {
      if (o.seconds > 0 && now() - start >= o.seconds)
        break;
      int n = o.count - done < CHUNK ? (int)(o.count - done) : CHUNK;
      for (int i = 0; i < n; i++) {
        uint64_t seed = diff_mix(o.seed, done + (uint64_t)i);
        gen_case(&k[i], seed);
        k[i].seed = seed;
      }
      failed += run_cases(k, n, &reports, o.max_reports);
      done += (uint64_t)n;
    }
  }
  native_stop();
  if (record)
    fclose(record);

  int covered = 0;
  for (int op = 0; op < OP_COUNT; op++)
    covered += stats.form_runs[op] != 0;
  printf("difftest: seed %#" PRIx64 ", %.1f s; regressions: %" PRIu64
         " run, %" PRIu64 " failed\n",
         o.seed, now() - start, reg_run, reg_failed);
  printf("difftest: forms: %d in the table, %d generated, %d covered\n",
         OP_COUNT, gen_form_count(), covered);
  printf("difftest: sequences %" PRIu64 ", instructions %" PRIu64
         ", mismatches %" PRIu64 "\n",
         stats.sequences, stats.insns, stats.mismatches);
  printf("difftest: endings: ok %" PRIu64 ", int3 %" PRIu64 ", #DE %" PRIu64
         ", #UD %" PRIu64 ", #GP %" PRIu64 ", #SS %" PRIu64 ", #PF %" PRIu64
         ", #MF %" PRIu64 ", #XM %" PRIu64 ", other %" PRIu64 "\n",
         stats.faults[END_OK], stats.faults[END_BP], stats.faults[END_DE],
         stats.faults[END_UD], stats.faults[END_GP], stats.faults[END_SS],
         stats.faults[END_PF], stats.faults[END_MF], stats.faults[END_XM],
         stats.faults[END_OTHER]);
  printf("difftest: undefined flags that differed and were masked, per form:");
  int listed = 0;
  for (int op = 0; op < OP_COUNT; op++)
    if (stats.form_masked[op]) {
      printf("%s %s#%d=%#x", listed ? "," : "", cpu_ops[op].name, op,
             stats.form_masked[op]);
      listed++;
    }
  printf("%s\n", listed ? "" : " none");
  if (o.fault_report) {
    printf("difftest: forms the native runs faulted on (faults/runs):");
    for (int op = 0; op < OP_COUNT; op++)
      if (stats.form_faults[op] * 4 > stats.form_runs[op] &&
          stats.form_runs[op])
        printf(" %s#%d(%u/%u)", cpu_ops[op].name, op, stats.form_faults[op],
               stats.form_runs[op]);
    printf("\n");
  }
  if (failed) {
    printf("difftest: mismatches by culprit form (the last instruction of "
           "the shortest mismatching prefix):");
    for (int op = 0; op < OP_COUNT; op++)
      if (stats.form_culprit[op])
        printf(" %s#%d(%u)", cpu_ops[op].name, op, stats.form_culprit[op]);
    printf("\n");
  }
  print_skipped();
  uint64_t skips = 0;
  for (int r = 0; r < SKIP_COUNT; r++)
    skips += skipped[r];
  printf("%" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64
         " skipped (the host cannot judge them)\n",
         stats.sequences - failed, failed, skips);
  return failed ? 1 : 0;
}
