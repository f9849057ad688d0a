/* /proc/cpuinfo for the one emulated CPU, derived from cpu_cpuid() so it
 * says exactly what CPUID advertises (arch/x86/kernel/cpu/proc.c format;
 * flag names from arch/x86/include/asm/cpufeatures.h). Figures CPUID does
 * not give (MHz, bogomips, microcode) are left out rather than invented. */
#include <stdio.h>
#include <string.h>

#include "../cpu/cpu.h"
#include "proc.h"

struct cpu_flag {
  uint32_t leaf, subleaf;
  int reg; /* 0 eax, 1 ebx, 2 ecx, 3 edx */
  int bit;
  const char *name;
};

/* In Linux's word order: 1.edx, 0x80000001.edx, 1.ecx, 0x80000001.ecx,
 * 7.ebx, 0xd.1.eax, 0x80000008.ebx, 7.ecx, 7.edx. */
static const struct cpu_flag cpu_flags[] = {
    {1, 0, 3, 0, "fpu"},
    {1, 0, 3, 1, "vme"},
    {1, 0, 3, 2, "de"},
    {1, 0, 3, 3, "pse"},
    {1, 0, 3, 4, "tsc"},
    {1, 0, 3, 5, "msr"},
    {1, 0, 3, 6, "pae"},
    {1, 0, 3, 7, "mce"},
    {1, 0, 3, 8, "cx8"},
    {1, 0, 3, 9, "apic"},
    {1, 0, 3, 11, "sep"},
    {1, 0, 3, 12, "mtrr"},
    {1, 0, 3, 13, "pge"},
    {1, 0, 3, 14, "mca"},
    {1, 0, 3, 15, "cmov"},
    {1, 0, 3, 16, "pat"},
    {1, 0, 3, 17, "pse36"},
    {1, 0, 3, 19, "clflush"},
    {1, 0, 3, 23, "mmx"},
    {1, 0, 3, 24, "fxsr"},
    {1, 0, 3, 25, "sse"},
    {1, 0, 3, 26, "sse2"},
    {1, 0, 3, 28, "ht"},
    {0x80000001, 0, 3, 11, "syscall"},
    {0x80000001, 0, 3, 20, "nx"},
    {0x80000001, 0, 3, 22, "mmxext"},
    {0x80000001, 0, 3, 25, "fxsr_opt"},
    {0x80000001, 0, 3, 26, "pdpe1gb"},
    {0x80000001, 0, 3, 27, "rdtscp"},
    {0x80000001, 0, 3, 29, "lm"},
    {1, 0, 2, 0, "pni"},
    {1, 0, 2, 1, "pclmulqdq"},
    {1, 0, 2, 3, "monitor"},
    {1, 0, 2, 9, "ssse3"},
    {1, 0, 2, 12, "fma"},
    {1, 0, 2, 13, "cx16"},
    {1, 0, 2, 19, "sse4_1"},
    {1, 0, 2, 20, "sse4_2"},
    {1, 0, 2, 22, "movbe"},
    {1, 0, 2, 23, "popcnt"},
    {1, 0, 2, 25, "aes"},
    {1, 0, 2, 26, "xsave"},
    {1, 0, 2, 28, "avx"},
    {1, 0, 2, 29, "f16c"},
    {1, 0, 2, 30, "rdrand"},
    {1, 0, 2, 31, "hypervisor"},
    {0x80000001, 0, 2, 0, "lahf_lm"},
    {0x80000001, 0, 2, 1, "cmp_legacy"},
    {0x80000001, 0, 2, 2, "svm"},
    {0x80000001, 0, 2, 3, "extapic"},
    {0x80000001, 0, 2, 4, "cr8_legacy"},
    {0x80000001, 0, 2, 5, "abm"},
    {0x80000001, 0, 2, 6, "sse4a"},
    {0x80000001, 0, 2, 7, "misalignsse"},
    {0x80000001, 0, 2, 8, "3dnowprefetch"},
    {0x80000001, 0, 2, 11, "xop"},
    {0x80000001, 0, 2, 16, "fma4"},
    {0x80000001, 0, 2, 21, "tbm"},
    {7, 0, 1, 0, "fsgsbase"},
    {7, 0, 1, 3, "bmi1"},
    {7, 0, 1, 5, "avx2"},
    {7, 0, 1, 7, "smep"},
    {7, 0, 1, 8, "bmi2"},
    {7, 0, 1, 9, "erms"},
    {7, 0, 1, 10, "invpcid"},
    {7, 0, 1, 16, "avx512f"},
    {7, 0, 1, 17, "avx512dq"},
    {7, 0, 1, 18, "rdseed"},
    {7, 0, 1, 19, "adx"},
    {7, 0, 1, 20, "smap"},
    {7, 0, 1, 23, "clflushopt"},
    {7, 0, 1, 24, "clwb"},
    {7, 0, 1, 28, "avx512cd"},
    {7, 0, 1, 29, "sha_ni"},
    {7, 0, 1, 30, "avx512bw"},
    {7, 0, 1, 31, "avx512vl"},
    {0xd, 1, 0, 0, "xsaveopt"},
    {0xd, 1, 0, 1, "xsavec"},
    {0xd, 1, 0, 2, "xgetbv1"},
    {0xd, 1, 0, 3, "xsaves"},
    {0x80000008, 0, 1, 0, "clzero"},
    {7, 0, 2, 1, "avx512vbmi"},
    {7, 0, 2, 2, "umip"},
    {7, 0, 2, 3, "pku"},
    {7, 0, 2, 6, "avx512_vbmi2"},
    {7, 0, 2, 8, "gfni"},
    {7, 0, 2, 9, "vaes"},
    {7, 0, 2, 10, "vpclmulqdq"},
    {7, 0, 2, 11, "avx512_vnni"},
    {7, 0, 2, 12, "avx512_bitalg"},
    {7, 0, 2, 14, "avx512_vpopcntdq"},
    {7, 0, 2, 22, "rdpid"},
    {7, 0, 3, 4, "fsrm"},
};

static bool leaf_exists(uint32_t leaf) {
  uint32_t r[4];
  cpu_cpuid(leaf & 0x80000000u, 0, r);
  return leaf <= r[0];
}

void proc_cpuinfo(struct process *p, FILE *f) {
  (void)p;
  uint32_t r[4], v[4];
  char vendor[13] = {0}, model_name[49] = {0};
  cpu_cpuid(0, 0, v);
  memcpy(vendor, &v[1], 4); /* ebx, edx, ecx spell the vendor */
  memcpy(vendor + 4, &v[3], 4);
  memcpy(vendor + 8, &v[2], 4);
  if (leaf_exists(0x80000004))
    for (uint32_t k = 0; k < 3; k++) {
      cpu_cpuid(0x80000002 + k, 0, r);
      memcpy(model_name + 16 * k, r, 16);
    }
  /* Linux trims the brand string's padding (get_model_name). */
  char *name = model_name;
  while (*name == ' ')
    name++;
  for (size_t n = strlen(name); n && name[n - 1] == ' '; n--)
    name[n - 1] = 0;
  cpu_cpuid(1, 0, r);
  unsigned family = (r[0] >> 8) & 0xf, model = (r[0] >> 4) & 0xf;
  if (family == 0xf)
    family += (r[0] >> 20) & 0xff;
  if (family >= 6)
    model += ((r[0] >> 16) & 0xf) << 4;
  unsigned clflush = ((r[1] >> 8) & 0xff) * 8;

  fprintf(f, "processor\t: 0\n");
  fprintf(f, "vendor_id\t: %s\n", vendor);
  fprintf(f, "cpu family\t: %u\n", family);
  fprintf(f, "model\t\t: %u\n", model);
  fprintf(f, "model name\t: %s\n", model_name[0] ? model_name : "unknown");
  fprintf(f, "stepping\t: %u\n", r[0] & 0xf);
  if (leaf_exists(0x80000006)) {
    uint32_t c[4];
    cpu_cpuid(0x80000006, 0, c);
    if (c[2] >> 16)
      fprintf(f, "cache size\t: %u KB\n", c[2] >> 16);
  }
  fprintf(f, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\n"
             "cpu cores\t: 1\napicid\t\t: 0\ninitial apicid\t: 0\n");
  fprintf(f, "fpu\t\t: yes\nfpu_exception\t: yes\n");
  fprintf(f, "cpuid level\t: %u\n", v[0]);
  fprintf(f, "wp\t\t: yes\n");
  fprintf(f, "flags\t\t:");
  for (size_t k = 0; k < sizeof cpu_flags / sizeof *cpu_flags; k++) {
    const struct cpu_flag *fl = &cpu_flags[k];
    if (!leaf_exists(fl->leaf))
      continue;
    cpu_cpuid(fl->leaf, fl->subleaf, r);
    if (r[fl->reg] >> fl->bit & 1)
      fprintf(f, " %s", fl->name);
  }
  fprintf(f, "\nbugs\t\t:\n");
  fprintf(f, "clflush size\t: %u\ncache_alignment\t: %u\n", clflush, clflush);
  if (leaf_exists(0x80000008)) {
    cpu_cpuid(0x80000008, 0, r);
    fprintf(f, "address sizes\t: %u bits physical, %u bits virtual\n",
            r[0] & 0xff, (r[0] >> 8) & 0xff);
  }
  fprintf(f, "power management:\n\n");
}
