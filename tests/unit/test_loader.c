/* loader_exec end to end on a bare process (MMU, CPU, VMAs; no run loop):
 * host binaries land where Linux puts them with ASLR off (compared with
 * `setarch -R` runs of the same files on this machine), the auxv and the
 * registers are those of start_thread, and every bad file fails with its
 * errno while leaving the old image intact. */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/loader.h"

#define LDSO "/lib64/ld-linux-x86-64.so.2"

static struct process *p;
static struct emu_options opt = {
    .deterministic = true, .seed = 1, .mem_limit = 1ull << 30};

static void setup(void) {
  p = calloc(1, sizeof *p);
  ck_assert_int_eq(process_init(p, &opt), 0);
}

static void teardown(void) {
  process_destroy(p);
  free(p);
}

static char err[256];

static int exec(const char *path, char *const argv[]) {
  static char *envp[] = {"HOME=/", "PATH=/bin", NULL};
  err[0] = 0;
  return loader_exec(p, path, argv, envp, err, sizeof err);
}

/* The first VMA whose file path ends in `name`, or NULL. */
static const struct vma *vma_of(const char *name, int nth) {
  for (int k = 0; k < p->mm->vmas.n; k++) {
    const struct vma *v = &p->mm->vmas.v[k];
    if (v->file && strstr(v->file->path, name) && nth-- == 0)
      return v;
  }
  return NULL;
}

static uint64_t read64(uint64_t addr) {
  uint64_t v;
  ck_assert_int_eq(copy_from_guest(&p->mmu, &v, addr, 8), 0);
  return v;
}

static uint64_t aux(uint64_t type) {
  uint64_t sp = p->cpu.gpr[RSP];
  uint64_t argc = read64(sp);
  uint64_t a = sp + 8 * (argc + 2);
  while (read64(a))
    a += 8;
  for (a += 8; read64(a) != AT_NULL; a += 16)
    if (read64(a) == type)
      return read64(a + 8);
  return ~0ull;
}

/* ld.so's e_entry, read from the host's file. */
static uint64_t ldso_entry(void) {
  Elf64_Ehdr h;
  FILE *fp = fopen(LDSO, "rb");
  ck_assert_ptr_nonnull(fp);
  ck_assert_int_eq(fread(&h, sizeof h, 1, fp), 1);
  fclose(fp);
  return h.e_entry;
}

START_TEST(dynamic_pie) {
  char *argv[] = {"/bin/true", "x", NULL};
  ck_assert_msg(exec("/bin/true", argv) == 0, "%s", err);
  /* As `setarch -R cat /proc/self/maps` shows on this host: the PIE at
   * 0x555555554000, ld.so ending at 0x7ffff7fff000, the stack VMA of 33
   * pages below 0x7ffffffff000. */
  const struct vma *exe = vma_of("/true", 0), *ld = vma_of("ld-linux", 0);
  ck_assert_ptr_nonnull(exe);
  ck_assert_ptr_nonnull(ld);
  ck_assert_uint_eq(exe->start, 0x555555554000ull);
  ck_assert_uint_eq(ld->start, 0x7ffff7fca000ull);
  const struct vma *top = &p->mm->vmas.v[p->mm->vmas.n - 1];
  ck_assert_int_eq(top->kind, VMA_STACK);
  ck_assert_uint_eq(top->start, 0x7ffffffde000ull);
  ck_assert_uint_eq(top->end, 0x7ffffffff000ull);
  ck_assert_int_eq(top->prot, PROT_READ | PROT_WRITE);
  ck_assert_uint_eq(p->mm->stack_start, top->start);
  /* Registers: start_thread. */
  ck_assert_uint_eq(aux(AT_BASE), 0x7ffff7fca000ull);
  ck_assert_uint_eq(p->cpu.rip, aux(AT_BASE) + ldso_entry());
  ck_assert_uint_eq(aux(AT_PHDR), 0x555555554040ull);
  ck_assert_uint_eq(aux(AT_PHENT), 56);
  ck_assert_uint_eq(aux(AT_PAGESZ), 4096);
  /* The vDSO right below ld.so, as on the host. */
  ck_assert_uint_eq(aux(AT_SYSINFO_EHDR), 0x7ffff7fc8000ull);
  ck_assert_uint_eq(p->cpu.gpr[RSP] & 15, 0);
  ck_assert_uint_eq(read64(p->cpu.gpr[RSP]), 2);
  for (int r = 0; r < 16; r++)
    if (r != RSP)
      ck_assert_uint_eq(p->cpu.gpr[r], 0);
  ck_assert_uint_eq(cpu_get_flags(&p->cpu), 0x202);
  ck_assert_uint_eq(p->cpu.mxcsr, 0x1f80);
  ck_assert_uint_eq(p->cpu.fs_base, 0);
  ck_assert_str_eq(p->mm->exe_path, "/usr/bin/true");
  /* brk: the page after the PIE's bss. */
  ck_assert_uint_eq(p->mm->brk_start, p->mm->brk);
  ck_assert_uint_eq(p->mm->brk & 0xfff, 0);
  ck_assert_uint_gt(p->mm->brk, 0x555555554000ull);
  ck_assert_uint_lt(p->mm->brk, 0x555555600000ull);
  /* AT_EXECFN is the path as given. */
  char execfn[32];
  ck_assert_int_gt(strncpy_from_guest(&p->mmu, execfn, aux(AT_EXECFN), 32), 0);
  ck_assert_str_eq(execfn, "/bin/true");
}
END_TEST

START_TEST(ldso_as_program) {
  /* `setarch -R ld.so /bin/true`: ld.so in the mmap area, brk at
   * PAGE_ALIGN(ELF_ET_DYN_BASE) = 0x555555555000 (brk(NULL) in strace). */
  char *argv[] = {LDSO, "/bin/true", NULL};
  ck_assert_msg(exec(LDSO, argv) == 0, "%s", err);
  const struct vma *ld = vma_of("ld-linux", 0);
  ck_assert_ptr_nonnull(ld);
  ck_assert_uint_eq(ld->start, 0x7ffff7fca000ull);
  ck_assert_uint_eq(p->mm->brk, 0x555555555000ull);
  ck_assert_uint_eq(aux(AT_BASE), 0);
  ck_assert_uint_eq(p->cpu.rip, 0x7ffff7fca000ull + ldso_entry());
  ck_assert_uint_eq(aux(AT_ENTRY), p->cpu.rip);
}
END_TEST

START_TEST(bss_is_zero) {
  /* ld.so's RW segment: p_filesz 0x2810, p_memsz 0x29d8 at 0x31900; the
   * bytes of its last file page beyond p_filesz read as zero. */
  char *argv[] = {LDSO, NULL};
  ck_assert_msg(exec(LDSO, argv) == 0, "%s", err);
  uint8_t buf[0x29d8 - 0x2810];
  ck_assert_int_eq(copy_from_guest(&p->mmu, buf,
                                   0x7ffff7fca000ull + 0x31900 + 0x2810,
                                   sizeof buf),
                   0);
  for (size_t k = 0; k < sizeof buf; k++)
    ck_assert_uint_eq(buf[k], 0);
}
END_TEST

START_TEST(deterministic_random) {
  char *argv[] = {"/bin/true", NULL};
  ck_assert_int_eq(exec("/bin/true", argv), 0);
  uint8_t a[16], b[16];
  ck_assert_int_eq(copy_from_guest(&p->mmu, a, aux(AT_RANDOM), 16), 0);
  ck_assert_int_eq(exec("/bin/true", argv), 0);
  ck_assert_int_eq(copy_from_guest(&p->mmu, b, aux(AT_RANDOM), 16), 0);
  ck_assert_mem_eq(a, b, 16);
}
END_TEST

START_TEST(script_argv) {
  char path[] = "/tmp/emu_loader_script_XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  const char *text = "#!/bin/true  -a b \n";
  ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  fchmod(fd, 0755);
  close(fd);
  char *argv[] = {"name", "arg1", NULL};
  int r = exec(path, argv);
  unlink(path);
  ck_assert_msg(r == 0, "%s", err);
  /* argv: /bin/true, "-a b", the script, arg1. */
  uint64_t sp = p->cpu.gpr[RSP];
  ck_assert_uint_eq(read64(sp), 4);
  const char *want[] = {"/bin/true", "-a b", path, "arg1"};
  for (int k = 0; k < 4; k++) {
    char s[64];
    ck_assert_int_gt(
        strncpy_from_guest(&p->mmu, s, read64(sp + 8 + 8 * k), sizeof s), 0);
    ck_assert_str_eq(s, want[k]);
  }
  ck_assert_str_eq(p->mm->exe_path, "/usr/bin/true");
}
END_TEST

START_TEST(empty_argv) {
  /* Linux 5.18+ turns an empty argv into { "" }. */
  char *argv[] = {NULL};
  ck_assert_int_eq(exec("/bin/true", argv), 0);
  ck_assert_uint_eq(read64(p->cpu.gpr[RSP]), 1);
}
END_TEST

START_TEST(failures_keep_old_image) {
  char *argv[] = {"/bin/true", NULL};
  ck_assert_int_eq(exec("/bin/true", argv), 0);
  int n = p->mm->vmas.n;
  uint64_t rip = p->cpu.rip;
  char dir[] = "/tmp/emu_loader_bad_XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char path[256];
  struct {
    const char *name, *content;
    int mode, errno_;
  } cases[] = {
      {"missing", NULL, 0, -ENOENT},
      {"", NULL, 0, -EACCES}, /* the directory itself */
      {"empty", "", 0755, -ENOEXEC},
      {"noexec", "\177ELF", 0644, -EACCES},
      {"text", "hello\n", 0755, -ENOEXEC},
      {"short", "\177ELF\2\1\1", 0755, -ENOEXEC},
      {"script", "#!/nonexistent\n", 0755, -ENOENT},
      {"blank", "#!\n", 0755, -ENOEXEC},
      {"bare", "#!", 0755, -EACCES},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof *cases; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, cases[k].name);
    if (cases[k].content) {
      FILE *fp = fopen(path, "w");
      fputs(cases[k].content, fp);
      fclose(fp);
      chmod(path, (mode_t)cases[k].mode);
    }
    int r = exec(path, argv);
    ck_assert_msg(r == cases[k].errno_, "%s: %d (%s)", cases[k].name, r, err);
    ck_assert_msg(err[0] && !strchr(err, '\n'), "%s: reason '%s'",
                  cases[k].name, err);
    ck_assert_int_eq(p->mm->vmas.n, n);
    ck_assert_uint_eq(p->cpu.rip, rip);
    ck_assert(!p->exited);
    if (cases[k].content)
      unlink(path);
  }
  rmdir(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("loader");
  TCase *tc = tcase_create("exec");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, dynamic_pie);
  tcase_add_test(tc, ldso_as_program);
  tcase_add_test(tc, bss_is_zero);
  tcase_add_test(tc, deterministic_random);
  tcase_add_test(tc, script_argv);
  tcase_add_test(tc, empty_argv);
  tcase_add_test(tc, failures_keep_old_image);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
