/* loader/elf.c: the ELF validator on crafted images (one per bad-input
 * case), on real host binaries, and on random corruptions of a good
 * image (which must never crash; run under ASan in CI). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"

/* A small, valid static ET_EXEC: text at 0x400000 (exit(0)), data+bss at
 * 0x401000, PT_GNU_STACK RW, and room for a PT_INTERP at 0x180. */
#define IMG_SIZE 0x1010
#define PH_TEXT 0
#define PH_DATA 1
#define PH_STACK 2
#define PH_NUM 3

static uint8_t img[IMG_SIZE + 0x100];
static Elf64_Ehdr *eh;
static Elf64_Phdr *ph;

static void make_good(void) {
  memset(img, 0, sizeof img);
  eh = (Elf64_Ehdr *)img;
  ph = (Elf64_Phdr *)(img + sizeof *eh);
  memcpy(eh->e_ident, ELFMAG, SELFMAG);
  eh->e_ident[EI_CLASS] = ELFCLASS64;
  eh->e_ident[EI_DATA] = ELFDATA2LSB;
  eh->e_ident[EI_VERSION] = EV_CURRENT;
  eh->e_type = ET_EXEC;
  eh->e_machine = EM_X86_64;
  eh->e_version = EV_CURRENT;
  eh->e_entry = 0x400100;
  eh->e_phoff = sizeof *eh;
  eh->e_ehsize = sizeof *eh;
  eh->e_phentsize = sizeof *ph;
  eh->e_phnum = PH_NUM;
  static const uint8_t code[] = {0xb8, 0x3c, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05};
  memcpy(img + 0x100, code, sizeof code);
  ph[PH_TEXT] = (Elf64_Phdr){PT_LOAD,  PF_R | PF_X, 0,     0x400000,
                             0x400000, 0x200,       0x200, 0x1000};
  ph[PH_DATA] = (Elf64_Phdr){PT_LOAD,  PF_R | PF_W, 0x1000, 0x401000,
                             0x401000, 0x10,        0x2000, 0x1000};
  ph[PH_STACK] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16};
}

static char err[256];

static int parse(size_t size, struct elf_file *f) {
  err[0] = 0;
  int r = elf_parse(img, size, f, err, sizeof err);
  if (r == 0)
    elf_free(f);
  else
    ck_assert_msg(err[0] != 0, "no reason given for %d", r);
  return r;
}

#define EXPECT(errno_, substr)                                                 \
  do {                                                                         \
    struct elf_file f_;                                                        \
    int r_ = parse(IMG_SIZE, &f_);                                             \
    ck_assert_int_eq(r_, errno_);                                              \
    ck_assert_msg(strstr(err, substr), "reason '%s' lacks '%s'", err, substr); \
  } while (0)

START_TEST(good_image) {
  make_good();
  struct elf_file f;
  ck_assert_int_eq(elf_parse(img, IMG_SIZE, &f, err, sizeof err), 0);
  ck_assert_int_eq(f.nload, 2);
  ck_assert(!f.has_interp);
  ck_assert(!f.exec_stack);
  ck_assert_uint_eq(f.load_min, 0x400000);
  ck_assert_uint_eq(f.load_end, 0x403000);
  ck_assert_uint_eq(f.max_align, 0x1000);
  elf_free(&f);
}
END_TEST

START_TEST(empty_file) {
  make_good();
  struct elf_file f;
  ck_assert_int_eq(parse(0, &f), -ENOEXEC);
  ck_assert_str_eq(err, "empty file");
}
END_TEST

START_TEST(not_elf) {
  make_good();
  memcpy(img, "#include <stdio.h>\n", 19);
  EXPECT(-ENOEXEC, "not an ELF");
}
END_TEST

START_TEST(truncated_header) {
  make_good();
  struct elf_file f;
  ck_assert_int_eq(parse(40, &f), -ENOEXEC);
  ck_assert(strstr(err, "truncated"));
  ck_assert_int_eq(parse(10, &f), -ENOEXEC);
  ck_assert(strstr(err, "truncated"));
  ck_assert_int_eq(parse(3, &f), -ENOEXEC);
  ck_assert(strstr(err, "not an ELF"));
}
END_TEST

START_TEST(elf32) {
  make_good();
  img[EI_CLASS] = ELFCLASS32;
  EXPECT(-ENOEXEC, "32-bit");
  img[EI_CLASS] = 7;
  EXPECT(-ENOEXEC, "class");
}
END_TEST

START_TEST(big_endian) {
  make_good();
  img[EI_DATA] = ELFDATA2MSB;
  EXPECT(-ENOEXEC, "big-endian");
}
END_TEST

START_TEST(other_machine) {
  make_good();
  eh->e_machine = EM_AARCH64;
  EXPECT(-ENOEXEC, "aarch64");
  eh->e_machine = EM_386;
  EXPECT(-ENOEXEC, "i386");
  eh->e_machine = 0x7777;
  EXPECT(-ENOEXEC, "another machine");
}
END_TEST

START_TEST(not_executable_type) {
  make_good();
  eh->e_type = ET_REL;
  EXPECT(-ENOEXEC, "relocatable");
  eh->e_type = ET_CORE;
  EXPECT(-ENOEXEC, "core");
  eh->e_type = 0x1234;
  EXPECT(-ENOEXEC, "type");
}
END_TEST

START_TEST(absurd_phdrs) {
  make_good();
  eh->e_phnum = 0;
  EXPECT(-ENOEXEC, "count");
  eh->e_phnum = 0xffff;
  EXPECT(-ENOEXEC, "count");
  eh->e_phnum = 65536 / sizeof(Elf64_Phdr) + 1;
  EXPECT(-ENOEXEC, "count");
  make_good();
  eh->e_phentsize = 32;
  EXPECT(-ENOEXEC, "program header size");
  eh->e_phentsize = 0;
  EXPECT(-ENOEXEC, "program header size");
  make_good();
  eh->e_phoff = IMG_SIZE - 8;
  EXPECT(-ENOEXEC, "past end of file");
  eh->e_phoff = ~0ull - 8; /* offset + size wraps */
  EXPECT(-ENOEXEC, "past end of file");
}
END_TEST

START_TEST(segment_past_eof) {
  make_good();
  ph[PH_DATA].p_filesz = 0x20; /* the file ends at 0x1010 */
  ph[PH_DATA].p_memsz = 0x2000;
  EXPECT(-ENOEXEC, "past end of file");
  make_good();
  ph[PH_DATA].p_offset = ~0ull - 0xfff; /* wraps */
  ph[PH_DATA].p_vaddr = 0x401000;
  EXPECT(-ENOEXEC, "past end of file");
}
END_TEST

START_TEST(memsz_below_filesz) {
  make_good();
  ph[PH_DATA].p_memsz = 8;
  EXPECT(-EINVAL, "p_filesz > p_memsz");
}
END_TEST

START_TEST(overlapping_segments) {
  make_good();
  ph[PH_DATA].p_vaddr = 0x400100; /* inside the text segment */
  ph[PH_DATA].p_offset = 0x100;
  ph[PH_DATA].p_filesz = 0x10;
  EXPECT(-ENOEXEC, "overlaps");
  make_good();
  ph[PH_DATA].p_vaddr = 0x300000; /* before the text segment */
  EXPECT(-ENOEXEC, "precedes");
}
END_TEST

START_TEST(shared_page_is_fine) {
  /* Segments that share a page but not bytes (old linkers) load. */
  make_good();
  ph[PH_DATA].p_vaddr = 0x400200;
  ph[PH_DATA].p_offset = 0x200;
  struct elf_file f;
  ck_assert_int_eq(parse(IMG_SIZE, &f), 0);
}
END_TEST

START_TEST(beyond_user_space) {
  make_good();
  ph[PH_DATA].p_vaddr = 0x7ffffffff000;
  ph[PH_DATA].p_offset = 0x1000;
  EXPECT(-EINVAL, "beyond user space");
  make_good();
  ph[PH_DATA].p_memsz = ~0ull - 0x100; /* vaddr + memsz wraps */
  EXPECT(-EINVAL, "beyond user space");
  make_good();
  ph[PH_DATA].p_vaddr = 0xffffffff80001000ull;
  EXPECT(-EINVAL, "beyond user space");
  make_good();
  eh->e_entry = 0xffffffffff600000ull;
  EXPECT(-EINVAL, "entry point");
}
END_TEST

START_TEST(below_mmap_min_addr) {
  make_good();
  ph[PH_TEXT].p_vaddr = 0;
  ph[PH_DATA].p_vaddr = 0x1000;
  EXPECT(-EPERM, "mmap_min_addr");
}
END_TEST

START_TEST(offset_vaddr_incongruent) {
  make_good();
  ph[PH_DATA].p_vaddr = 0x401800;
  EXPECT(-EINVAL, "modulo the page size");
}
END_TEST

START_TEST(no_load_segments) {
  make_good();
  ph[PH_TEXT].p_type = PT_NOTE;
  ph[PH_DATA].p_type = PT_NULL;
  EXPECT(-ENOEXEC, "no loadable segments");
}
END_TEST

static void add_interp(const char *s, size_t filesz) {
  eh->e_phnum = PH_NUM + 1;
  ph[PH_NUM] = (Elf64_Phdr){PT_INTERP, PF_R,   0x180,  0x400180,
                            0x400180,  filesz, filesz, 1};
  memcpy(img + 0x180, s, strlen(s));
}

START_TEST(interp_ok) {
  make_good();
  add_interp("/lib64/ld-linux-x86-64.so.2", 28);
  struct elf_file f;
  ck_assert_int_eq(elf_parse(img, IMG_SIZE, &f, err, sizeof err), 0);
  ck_assert(f.has_interp);
  ck_assert_str_eq(f.interp, "/lib64/ld-linux-x86-64.so.2");
  elf_free(&f);
}
END_TEST

START_TEST(interp_bad) {
  make_good();
  add_interp("/lib64/ld-linux-x86-64.so.2X", 28); /* last byte not NUL */
  EXPECT(-ENOEXEC, "not NUL-terminated");
  make_good();
  add_interp("", 5000); /* longer than PATH_MAX */
  EXPECT(-ENOEXEC, "PT_INTERP size");
  make_good();
  add_interp("", 1);
  EXPECT(-ENOEXEC, "PT_INTERP size");
  make_good();
  add_interp("", 8); /* all NUL */
  EXPECT(-ENOEXEC, "empty");
  make_good();
  add_interp("/x", 3);
  ph[PH_NUM].p_offset = IMG_SIZE - 1;
  EXPECT(-ENOEXEC, "past end of file");
}
END_TEST

START_TEST(exec_stack) {
  make_good();
  ph[PH_STACK].p_flags |= PF_X;
  struct elf_file f;
  ck_assert_int_eq(elf_parse(img, IMG_SIZE, &f, err, sizeof err), 0);
  ck_assert(f.exec_stack);
  elf_free(&f);
}
END_TEST

static uint8_t *read_all(const char *path, size_t *size) {
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  uint8_t *b = malloc((size_t)n + 1);
  ck_assert_int_eq(fread(b, 1, (size_t)n, fp), (size_t)n);
  fclose(fp);
  *size = (size_t)n;
  return b;
}

START_TEST(host_binaries) {
  static const char *const paths[] = {"/bin/true", "/bin/sh",
                                      "/lib64/ld-linux-x86-64.so.2"};
  for (unsigned k = 0; k < sizeof paths / sizeof *paths; k++) {
    size_t n;
    uint8_t *b = read_all(paths[k], &n);
    ck_assert_msg(b != NULL, "cannot read %s", paths[k]);
    struct elf_file f;
    int r = elf_parse(b, n, &f, err, sizeof err);
    ck_assert_msg(r == 0, "%s: %s", paths[k], err);
    ck_assert_int_eq(f.ehdr.e_type, ET_DYN);
    if (k < 2) {
      ck_assert(f.has_interp);
      ck_assert_str_eq(f.interp, "/lib64/ld-linux-x86-64.so.2");
    } else {
      ck_assert(!f.has_interp);
    }
    elf_free(&f);
    free(b);
  }
}
END_TEST

/* Random corruption of the header and program headers: any result is
 * fine as long as nothing crashes, leaks or reads out of bounds. */
START_TEST(random_corruption) {
  uint64_t x = 88172645463325252ull;
  int ok = 0;
  for (int round = 0; round < 20000; round++) {
    make_good();
    add_interp("/lib64/ld-linux-x86-64.so.2", 28);
    for (int k = 0; k < 1 + round % 4; k++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      img[(x >> 8) % (sizeof(Elf64_Ehdr) + 4 * sizeof(Elf64_Phdr))] =
          (uint8_t)x;
    }
    size_t size = (round % 7 == 0) ? (x >> 20) % IMG_SIZE : IMG_SIZE;
    /* A fresh heap copy of the exact size, so ASan sees any overread. */
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, img, size);
    struct elf_file f;
    if (elf_parse(copy, size, &f, err, sizeof err) == 0) {
      ok++;
      elf_free(&f);
    }
    free(copy);
  }
  ck_assert_int_gt(ok, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("elf");
  TCase *tc = tcase_create("validate");
  tcase_add_test(tc, good_image);
  tcase_add_test(tc, empty_file);
  tcase_add_test(tc, not_elf);
  tcase_add_test(tc, truncated_header);
  tcase_add_test(tc, elf32);
  tcase_add_test(tc, big_endian);
  tcase_add_test(tc, other_machine);
  tcase_add_test(tc, not_executable_type);
  tcase_add_test(tc, absurd_phdrs);
  tcase_add_test(tc, segment_past_eof);
  tcase_add_test(tc, memsz_below_filesz);
  tcase_add_test(tc, overlapping_segments);
  tcase_add_test(tc, shared_page_is_fine);
  tcase_add_test(tc, beyond_user_space);
  tcase_add_test(tc, below_mmap_min_addr);
  tcase_add_test(tc, offset_vaddr_incongruent);
  tcase_add_test(tc, no_load_segments);
  tcase_add_test(tc, interp_ok);
  tcase_add_test(tc, interp_bad);
  tcase_add_test(tc, exec_stack);
  tcase_add_test(tc, host_binaries);
  tcase_add_test(tc, random_corruption);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
