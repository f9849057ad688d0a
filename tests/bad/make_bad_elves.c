/* Writes the loader's bad-input files into a directory (argv[1]): one
 * small static x86-64 ELF per defect, plus bad interpreters and scripts,
 * and one good program as a control. The expected status of each file
 * under `emu FILE` is listed in tests/bad/README.md and
 * tests/bad/CMakeLists.txt. */
#include <elf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMG_SIZE 0x1010
#define PH_TEXT 0
#define PH_DATA 1
#define PH_STACK 2
#define PH_NUM 3

static uint8_t img[IMG_SIZE];
static Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
static Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr));
static const char *dir;

/* write(1, "ok\n", 3); exit(0) at 0x400100, "ok\n" at 0x401000. */
static void make_good(void) {
  static const uint8_t code[] = {
      0xb8, 0x01, 0,    0,    0, /* mov $1, %eax */
      0xbf, 0x01, 0,    0,    0, /* mov $1, %edi */
      0xbe, 0x00, 0x10, 0x40, 0, /* mov $0x401000, %esi */
      0xba, 0x03, 0,    0,    0, /* mov $3, %edx */
      0x0f, 0x05,                /* syscall */
      0xb8, 0x3c, 0,    0,    0, 0x31, 0xff, 0x0f, 0x05}; /* exit(0) */
  memset(img, 0, sizeof img);
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
  memcpy(img + 0x100, code, sizeof code);
  memcpy(img + 0x1000, "ok\n", 3);
  ph[PH_TEXT] = (Elf64_Phdr){PT_LOAD,  PF_R | PF_X, 0,     0x400000,
                             0x400000, 0x200,       0x200, 0x1000};
  ph[PH_DATA] = (Elf64_Phdr){PT_LOAD,  PF_R | PF_W, 0x1000, 0x401000,
                             0x401000, 0x10,        0x2000, 0x1000};
  ph[PH_STACK] = (Elf64_Phdr){PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16};
}

static void set_interp(const char *path, size_t filesz) {
  eh->e_phnum = PH_NUM + 1;
  ph[PH_NUM] = (Elf64_Phdr){PT_INTERP, PF_R,   0x180,  0x400180,
                            0x400180,  filesz, filesz, 1};
  memset(img + 0x180, 0, 0x80);
  memcpy(img + 0x180, path, strlen(path) < 0x80 ? strlen(path) : 0x80);
}

static void write_file(const char *name, const void *data, size_t n) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *fp = fopen(path, "wb");
  if (!fp || fwrite(data, 1, n, fp) != n || fclose(fp) != 0) {
    perror(path);
    exit(1);
  }
  chmod(path, 0755);
}

static void emit(const char *name) { write_file(name, img, IMG_SIZE); }

static void emit_text(const char *name, const char *text) {
  write_file(name, text, strlen(text));
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: make_bad_elves DIR\n");
    return 2;
  }
  mkdir(argv[1], 0755);
  static char abs_dir[PATH_MAX];
  if (!realpath(argv[1], abs_dir)) {
    perror(argv[1]);
    return 1;
  }
  dir = abs_dir;
  char path[PATH_MAX + 64];

  make_good();
  emit("good_static");

  make_good();
  img[EI_CLASS] = ELFCLASS32;
  emit("elf32");
  make_good();
  img[EI_DATA] = ELFDATA2MSB;
  emit("big_endian");
  make_good();
  eh->e_machine = EM_AARCH64;
  emit("aarch64");
  make_good();
  eh->e_type = ET_REL;
  emit("relocatable");
  make_good();
  eh->e_phnum = 0;
  emit("phnum_zero");
  make_good();
  eh->e_phnum = 0xffff;
  emit("phnum_huge");
  make_good();
  eh->e_phentsize = 32;
  emit("phentsize_bad");
  make_good();
  eh->e_phoff = IMG_SIZE - 16;
  emit("phoff_past_eof");
  make_good();
  ph[PH_DATA].p_filesz = 0x100000;
  ph[PH_DATA].p_memsz = 0x100000;
  emit("segment_past_eof");
  make_good();
  ph[PH_DATA].p_memsz = 4;
  emit("memsz_below_filesz");
  make_good();
  ph[PH_DATA].p_vaddr = 0x400100;
  ph[PH_DATA].p_offset = 0x100;
  emit("overlapping_segments");
  make_good();
  ph[PH_DATA].p_vaddr = 0x300000;
  emit("out_of_order_segments");
  make_good();
  ph[PH_DATA].p_vaddr = 0x7ffffffff000;
  emit("segment_beyond_user_space");
  make_good();
  ph[PH_DATA].p_vaddr = 0xffff800000001000ull;
  emit("segment_in_kernel_space");
  make_good();
  eh->e_entry = 0xffffffffff600000ull;
  emit("entry_beyond_user_space");
  make_good();
  ph[PH_TEXT].p_vaddr = 0;
  ph[PH_DATA].p_vaddr = 0x1000;
  eh->e_entry = 0x100;
  emit("below_mmap_min_addr");
  make_good();
  ph[PH_DATA].p_vaddr = 0x401800;
  emit("offset_vaddr_mismatch");
  /* A bss no machine can back: Linux's vm_brk_flags refuses to charge
   * it (the heuristic overcommit limit, RAM + swap) and execve fails
   * after the point of no return (SIGSEGV). */
  make_good();
  ph[PH_DATA].p_memsz = 1ull << 46;
  emit("bss_64tib");
  make_good();
  ph[PH_TEXT].p_type = PT_NOTE;
  ph[PH_DATA].p_type = PT_NULL;
  emit("no_load_segments");

  make_good();
  set_interp("/lib64/ld-linux-x86-64.so.2X", 28);
  emit("interp_not_nul_terminated");
  make_good();
  set_interp("/lib64/ld-linux-x86-64.so.2", 5000);
  emit("interp_too_long");
  make_good();
  set_interp("/nonexistent/ld-linux-x86-64.so.2", 35);
  emit("interp_missing");
  /* Interpreters that exist but are wrong: another machine, not ELF,
   * cut short. */
  snprintf(path, sizeof path, "%s/aarch64", dir);
  make_good();
  set_interp(path, strlen(path) + 1);
  emit("interp_wrong_machine");
  snprintf(path, sizeof path, "%s/interp_text", dir);
  emit_text("interp_text", "this is not an interpreter\n");
  make_good();
  set_interp(path, strlen(path) + 1);
  emit("interp_not_elf");
  make_good();
  write_file("interp_short", img, 40);
  snprintf(path, sizeof path, "%s/interp_short", dir);
  set_interp(path, strlen(path) + 1);
  emit("interp_truncated");

  /* Scripts. */
  emit_text("script_missing_interp", "#!/nonexistent/interpreter -x\n");
  snprintf(path, sizeof path, "#!%s/script_loop\n", dir);
  emit_text("script_loop", path);
  emit_text("script_no_interp", "#!   \n");
  snprintf(path, sizeof path, "#!%s/elf32\n", dir);
  emit_text("script_bad_elf", path);
  return 0;
}
