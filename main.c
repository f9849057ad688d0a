/* emu's command line: ./emu [options] PROGRAM [ARGS...]
 * Sets up the process, has the loader exec PROGRAM as execve(2) would,
 * runs the kernel until the guest exits, and exits with the guest's
 * status (128+N when a signal killed it, as a shell reports it). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/dev.h"
#include "devices/devices.h"
#include "loader/loader.h"
#include "roms.h"
#include "syscalls/process.h"
#include "syscalls/trace.h"

#define EMU_VERSION "0.1.0"

extern char **environ;

static void usage(FILE *out) {
  fprintf(out,
          "usage: emu [options] PROGRAM [ARGS...]\n"
          "Run an x86-64 Linux program on emu's emulated CPU and kernel.\n"
          "\n"
          "  -s, --strace        trace system calls in strace's format\n"
          "  -f, --follow-forks  trace the children fork, vfork and clone\n"
          "                      make too (as strace -f); without it they\n"
          "                      run untraced\n"
          "  -o, --output FILE   write --strace/--trace output to FILE\n"
          "      --trace         trace every instruction (cycle, address,\n"
          "                      symbol, bytes, disassembly)\n"
          "      --stats         print counters at exit (instructions,\n"
          "                      cycles, page faults, TLB, system calls)\n"
          "  -v, --verbose       name unimplemented system calls on stderr\n"
          "      --no-block-cache decode every instruction each time (for\n"
          "                      checking that the cache changes nothing)\n"
          "      --deterministic derive time and randomness from the cycle\n"
          "                      counter and --seed\n"
          "      --seed N        seed for --deterministic (default 0)\n"
          "      --mem-limit SIZE\n"
          "                      the machine's RAM + swap, with a K, M, G\n"
          "                      or T suffix (default: the host's): one\n"
          "                      allocation larger fails with ENOMEM, as\n"
          "                      Linux's overcommit heuristic does, and a\n"
          "                      guest touching more is killed (SIGKILL)\n"
          "      --display sdl|none\n"
          "                      show /dev/fb0 in an SDL window, or\n"
          "                      nowhere (default: sdl when DISPLAY or\n"
          "                      WAYLAND_DISPLAY is set)\n"
          "      --screenshot FILE\n"
          "                      at exit, write the visible framebuffer\n"
          "                      to FILE as a BMP\n"
          "      --fb WxH[xBPP]  the framebuffer's first mode (default\n"
          "                      640x480x32; BPP 16 or 32)\n"
          "      --input-script FILE\n"
          "                      feed scripted key and mouse events to\n"
          "                      /dev/input/event0 and event1\n"
          "  -h, --help          show this help\n"
          "  -V, --version       show the version\n"
          "\n"
          "PROGRAM may also name a bundled guest (e.g. hello).\n");
}

/* A guest killed by a signal kills emu with the same signal, so that a
 * parent — a guest under another emu, or a shell — sees what it would
 * natively (WIFSIGNALED, WTERMSIG; the shell's 128+N). emu writes no core
 * file of its own: it would hold emu's address space, not the guest's,
 * so dumping is disabled first and the status never has the core flag. */
static void die_of_signal(int sig) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0);
  fflush(NULL);
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  raise(sig);
  /* A signal whose default action is not to terminate: as the shell
   * would report it. */
  _exit(128 + sig);
}

/* A bundled ROM runs from an anonymous file, so that the loader reads it
 * like any other program. Returns a path such as /proc/self/fd/N. */
static const char *rom_path(const char *name, char *buf, size_t size) {
  const struct rom *r = rom_find(name);
  if (!r)
    return NULL;
  int fd = memfd_create(name, 0);
  if (fd < 0 || write(fd, r->data, r->size) != (ssize_t)r->size ||
      fchmod(fd, 0755) < 0)
    return NULL;
  snprintf(buf, size, "/proc/self/fd/%d", fd);
  return buf;
}

static const char *search_path(const char *name, char *buf, size_t size) {
  const char *dirs = getenv("PATH");
  if (!dirs)
    dirs = "/usr/local/bin:/usr/bin:/bin";
  while (*dirs) {
    size_t len = strcspn(dirs, ":");
    snprintf(buf, size, "%.*s/%s", (int)len, dirs, name);
    if (len && access(buf, X_OK) == 0)
      return buf;
    dirs += len + (dirs[len] == ':');
  }
  return NULL;
}

/* A byte count with an optional binary suffix (K, M, G, T); 0 when
 * malformed. */
static uint64_t parse_size(const char *text) {
  static const char units[] = "KMGT";
  char *end;
  errno = 0;
  unsigned long long n = strtoull(text, &end, 10);
  if (errno || end == text || strchr(text, '-'))
    return 0;
  const char *unit = *end ? strchr(units, toupper((unsigned char)*end)) : NULL;
  if (*end && (!unit || end[1]))
    return 0;
  int shift = unit ? 10 * (int)(unit - units + 1) : 0;
  if (n > (~0ull >> shift))
    return 0;
  return (uint64_t)n << shift;
}

/* --fb WxH[xBPP]: a mode the framebuffer can start in (both screens of
 * its double buffer in at most 64 MiB of video memory). */
static bool parse_mode(const char *text, struct emu_options *opt) {
  unsigned w, h, bpp = 32;
  char end;
  int n = sscanf(text, "%ux%ux%u%c", &w, &h, &bpp, &end);
  if (n != 2 && n != 3)
    return false;
  if ((bpp != 16 && bpp != 32) || w < 8 || h < 8 || w > 16384 || h > 16384 ||
      (uint64_t)w * h * (bpp / 8) * 2 > (64u << 20))
    return false;
  opt->fb_width = w;
  opt->fb_height = h;
  opt->fb_bpp = bpp;
  return true;
}

int main(int argc, char **argv) {
  enum {
    OPT_TRACE = 256,
    OPT_STATS,
    OPT_DETERMINISTIC,
    OPT_SEED,
    OPT_NO_CACHE,
    OPT_MEM_LIMIT,
    OPT_DISPLAY,
    OPT_SCREENSHOT,
    OPT_FB,
    OPT_INPUT_SCRIPT
  };
  static const struct option longopts[] = {
      {"strace", no_argument, 0, 's'},
      {"follow-forks", no_argument, 0, 'f'},
      {"output", required_argument, 0, 'o'},
      {"trace", no_argument, 0, OPT_TRACE},
      {"stats", no_argument, 0, OPT_STATS},
      {"verbose", no_argument, 0, 'v'},
      {"deterministic", no_argument, 0, OPT_DETERMINISTIC},
      {"seed", required_argument, 0, OPT_SEED},
      {"no-block-cache", no_argument, 0, OPT_NO_CACHE},
      {"mem-limit", required_argument, 0, OPT_MEM_LIMIT},
      {"display", required_argument, 0, OPT_DISPLAY},
      {"screenshot", required_argument, 0, OPT_SCREENSHOT},
      {"fb", required_argument, 0, OPT_FB},
      {"input-script", required_argument, 0, OPT_INPUT_SCRIPT},
      {"help", no_argument, 0, 'h'},
      {"version", no_argument, 0, 'V'},
      {0, 0, 0, 0}};
  struct emu_options opt = {0};
  opt.display = getenv("DISPLAY") || getenv("WAYLAND_DISPLAY") ? DISPLAY_SDL
                                                               : DISPLAY_NONE;
  const char *output = NULL;
  bool no_block_cache = false;
  int ch;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, "+sfo:vhV", longopts, NULL)) != -1) {
    switch (ch) {
    case 's': opt.strace = true; break;
    case 'o': output = optarg; break;
    case 'f': opt.follow = true; break;
    case OPT_TRACE: opt.trace = true; break;
    case OPT_STATS: opt.stats = true; break;
    case 'v': opt.verbose = true; break;
    case OPT_DETERMINISTIC: opt.deterministic = true; break;
    case OPT_SEED: opt.seed = strtoull(optarg, NULL, 0); break;
    case OPT_NO_CACHE: no_block_cache = true; break;
    case OPT_MEM_LIMIT:
      /* At least 1 MiB: less cannot hold even the initial stack. */
      opt.mem_limit = parse_size(optarg);
      if (opt.mem_limit < (1ull << 20)) {
        fprintf(stderr, "emu: --mem-limit: '%s' is not a size of 1M or more\n",
                optarg);
        usage(stderr);
        return 2;
      }
      break;
    case OPT_DISPLAY:
      if (strcmp(optarg, "sdl") != 0 && strcmp(optarg, "none") != 0) {
        fprintf(stderr, "emu: --display: '%s' is not sdl or none\n", optarg);
        usage(stderr);
        return 2;
      }
      opt.display = optarg[0] == 's' ? DISPLAY_SDL : DISPLAY_NONE;
      opt.display_asked = true;
      break;
    case OPT_SCREENSHOT: opt.screenshot = optarg; break;
    case OPT_FB:
      if (!parse_mode(optarg, &opt)) {
        fprintf(stderr,
                "emu: --fb: '%s' is not WxH or WxHxBPP (BPP 16 or 32, "
                "at least 8x8, at most 64 MiB for two screens)\n",
                optarg);
        usage(stderr);
        return 2;
      }
      break;
    case OPT_INPUT_SCRIPT: opt.input_script = optarg; break;
    case 'h': usage(stdout); return 0;
    case 'V': printf("emu %s\n", EMU_VERSION); return 0;
    default:
      fprintf(stderr, "emu: unknown option '%s'\n", argv[optind - 1]);
      usage(stderr);
      return 2;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "emu: no program given\n");
    usage(stderr);
    return 2;
  }
  FILE *out = stderr;
  if (output) {
    out = fopen(output, "we");
    if (!out) {
      fprintf(stderr, "emu: %s: %s\n", output, strerror(errno));
      return 2;
    }
  }
  opt.strace_out = opt.trace_out = out;
  opt.strace_to_file = out != stderr;
  /* Several processes write one trace: each line must reach it whole,
   * in one write (strace_print.c flushes at the end of a line). */
  if (opt.follow)
    setvbuf(out, NULL, _IOFBF, 1 << 16);

  const char *program = argv[optind];
  char rom_buf[64], search_buf[4096];
  const char *path = program, *shown = program;
  /* A bare name that is not a file here is a bundled guest, else it is
   * looked up in PATH as a shell would. */
  if (access(program, F_OK) != 0 && !strchr(program, '/')) {
    const char *found = rom_path(program, rom_buf, sizeof rom_buf);
    if (!found)
      found = shown = search_path(program, search_buf, sizeof search_buf);
    if (found)
      path = found;
  }

  static struct process proc;
  struct process *p = &proc;
  if (process_init(p, &opt) < 0) {
    fprintf(stderr, "emu: cannot reserve guest memory\n");
    return 1;
  }
  if (no_block_cache)
    cpu_set_block_cache(&p->cpu, false);
  /* The machine's display and input, one for the whole run. Without
   * them the devices are absent (ENODEV), as on a machine with none. */
  dev_machine_init(p);
  if (opt.input_script) {
    char why[256];
    if (!input_script_load(opt.input_script, why, sizeof why)) {
      fprintf(stderr, "emu: --input-script %s: %s\n", opt.input_script, why);
      process_destroy(p);
      return 2;
    }
  }
  char why[512] = "";
  int e = loader_exec(p, path, &argv[optind], environ, why, sizeof why);
  if (e < 0) {
    fprintf(stderr, "emu: %s: %s\n", program, why[0] ? why : strerror(-e));
    process_destroy(p);
    return e == -ENOENT ? 127 : 126;
  }
  if (opt.strace)
    trace_initial_execve(p, shown, &argv[optind], environ);
  /* From here signals sent to emu are the guest's (SIGPIPE too: the
   * host raises it at the same write as Linux would for the guest). */
  thread_init_leader(p);
  host_signals_init(p);
  if (opt.trace)
    trace_instructions_start(p);
  int status = kernel_run(p);
  if (opt.strace)
    trace_exit(p);
  /* Without -f a child runs untraced and its counters are not shown. */
  if (opt.stats && (!p->sig->is_child || opt.follow))
    trace_stats(p);
  if (opt.trace)
    trace_instructions_stop(p);
  dev_machine_exit(p); /* the window closes; --screenshot */
  process_exit(p);
  symbolize_free_all();
  if (out != stderr)
    fclose(out);
  if (p->fatal_signal)
    die_of_signal(p->fatal_signal);
  return status;
}
