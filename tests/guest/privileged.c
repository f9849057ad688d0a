/* Instructions for the kernel, and int n, run in user mode: which signal
 * each one gets (si_code, si_addr, the trap number and error code of the
 * signal frame) and where RIP stood, or what it did when it did not
 * fault. Each case runs from its own slot of an executable page with
 * registers loaded from a table; the handler moves RIP past the
 * instruction and the case returns.
 *
 * The host is the truth for the CPU's part: #GP(0) for the privileged
 * forms, #GP(n*8+2) for int n through a kernel gate, #UD for the forms
 * 64-bit mode removed. Two items depend on the kernel's configuration and
 * are checked against the model where the host differs (host_model.h):
 * CR4.UMIP with Linux's emulation of sgdt/sidt/smsw (arch/x86/kernel/
 * umip.c), and int 0x80 with IA32 emulation (the i386 system call). */
#define _GNU_SOURCE
#include <unistd.h>

#include "code_slots.h"
#include "host_model.h"

/* --- #GP(0), #UD and int n: the host is the truth --- */

#define T(name, bytes)                                                         \
  {                                                                            \
    name, NULL, 0, B(bytes), NULL, 0, { 0 }                                    \
  }
#define TR(name, bytes, ...)                                                   \
  {                                                                            \
    name, NULL, 0, B(bytes), NULL, 0, { __VA_ARGS__ }                          \
  }

static const struct test cpu_tests[] = {
    /* I/O and interrupt flag: IOPL 0, no I/O permission bitmap. */
    T("cli", "\xfa"),
    T("sti", "\xfb"),
    T("hlt", "\xf4"),
    T("66 hlt", "\x66\xf4"),
    T("in al,0x80", "\xe4\x80"),
    T("in ax,0x80", "\x66\xe5\x80"),
    T("in eax,0x80", "\xe5\x80"),
    T("out 0x80,al", "\xe6\x80"),
    T("out 0x80,ax", "\x66\xe7\x80"),
    T("out 0x80,eax", "\xe7\x80"),
    TR("in al,dx", "\xec", .rdx = 0x80),
    TR("in ax,dx", "\x66\xed", .rdx = 0x80),
    TR("in eax,dx", "\xed", .rdx = 0x80),
    TR("rex.w in eax,dx", "\x48\xed", .rdx = 0x80),
    TR("out dx,al", "\xee", .rdx = 0x80),
    TR("out dx,ax", "\x66\xef", .rdx = 0x80),
    TR("out dx,eax", "\xef", .rdx = 0x80),
    TR("insb", "\x6c", .rdx = 0x80),
    TR("insw", "\x66\x6d", .rdx = 0x80),
    TR("insd", "\x6d", .rdx = 0x80),
    TR("outsb", "\x6e", .rdx = 0x80),
    TR("outsw", "\x66\x6f", .rdx = 0x80),
    TR("outsd", "\x6f", .rdx = 0x80),
    TR("rep insb, rcx 0", "\xf3\x6c", .rdx = 0x80, .rcx = 0),
    TR("rep insd, rcx 4", "\xf3\x6d", .rdx = 0x80, .rcx = 4),
    TR("rep outsb, rcx 0", "\xf3\x6e", .rdx = 0x80, .rcx = 0),
    TR("rep outsw, rcx 4", "\x66\xf3\x6f", .rdx = 0x80, .rcx = 4),
    /* System registers, descriptor tables, caches, MSRs. */
    T("clts", "\x0f\x06"),
    T("sysret", "\x0f\x07"),
    T("sysretq", "\x48\x0f\x07"),
    T("invd", "\x0f\x08"),
    T("wbinvd", "\x0f\x09"),
    T("wbnoinvd", "\xf3\x0f\x09"),
    TR("wrmsr", "\x0f\x30", .rcx = 0x10),
    TR("rdmsr", "\x0f\x32", .rcx = 0x10),
    TR("rdpmc", "\x0f\x33", .rcx = 0),
    T("swapgs", "\x0f\x01\xf8"),
    T("lgdt (rdi)", "\x0f\x01\x17"),
    T("lidt (rdi)", "\x0f\x01\x1f"),
    TR("lgdt (rax), rax 0: #GP before #PF", "\x0f\x01\x10", .rax = 0),
    T("lldt ax", "\x0f\x00\xd0"),
    T("lldt (rdi)", "\x0f\x00\x17"),
    T("ltr ax", "\x0f\x00\xd8"),
    T("ltr (rdi)", "\x0f\x00\x1f"),
    T("lmsw ax", "\x0f\x01\xf0"),
    T("lmsw (rdi)", "\x0f\x01\x37"),
    T("invlpg (rdi)", "\x0f\x01\x3f"),
    TR("invlpg (rax), rax 0", "\x0f\x01\x38", .rax = 0),
    T("mov rax,cr0", "\x0f\x20\xc0"),
    T("mov rax,cr2", "\x0f\x20\xd0"),
    T("mov rax,cr3", "\x0f\x20\xd8"),
    T("mov rax,cr4", "\x0f\x20\xe0"),
    T("mov rax,cr8", "\x44\x0f\x20\xc0"),
    T("lock mov rax,cr0 (AMD: cr8)", "\xf0\x0f\x20\xc0"),
    T("mov rax,cr0 (mod 0)", "\x0f\x20\x00"),
    T("66 mov rax,cr0", "\x66\x0f\x20\xc0"),
    T("mov cr0,rax", "\x0f\x22\xc0"),
    T("mov cr3,rax", "\x0f\x22\xd8"),
    T("mov cr8,rax", "\x44\x0f\x22\xc0"),
    T("mov rax,dr0", "\x0f\x21\xc0"),
    T("mov rax,dr4", "\x0f\x21\xe0"),
    T("mov rax,dr6", "\x0f\x21\xf0"),
    T("mov rax,dr7", "\x0f\x21\xf8"),
    T("mov dr7,rax", "\x0f\x23\xf8"),
    /* #UD: undefined registers, LOCK, and what 64-bit mode removed. */
    T("mov rax,cr1", "\x0f\x20\xc8"),
    T("mov rax,cr5", "\x0f\x20\xe8"),
    T("mov rax,cr9", "\x44\x0f\x20\xc8"),
    T("lock mov rax,cr1", "\xf0\x0f\x20\xc8"),
    T("mov cr7,rax", "\x0f\x22\xf8"),
    T("mov rax,dr8", "\x44\x0f\x21\xc0"),
    T("lock mov rax,dr0", "\xf0\x0f\x21\xc0"),
    T("lock cli", "\xf0\xfa"),
    T("lock hlt", "\xf0\xf4"),
    T("lock swapgs", "\xf0\x0f\x01\xf8"),
    T("lock wbinvd", "\xf0\x0f\x09"),
    T("sysenter", "\x0f\x34"),
    T("sysexit", "\x0f\x35"),
    T("monitor", "\x0f\x01\xc8"),
    T("mwait", "\x0f\x01\xc9"),
    T("vmcall", "\x0f\x01\xc1"),
    T("rdpkru", "\x0f\x01\xee"),
    T("femms", "\x0f\x0e"),
    T("into", "\xce"),
    T("push es", "\x06"),
    T("pop es", "\x07"),
    T("push cs", "\x0e"),
    T("push ss", "\x16"),
    T("pop ss", "\x17"),
    T("push ds", "\x1e"),
    T("pop ds", "\x1f"),
    T("daa", "\x27"),
    T("das", "\x2f"),
    T("aaa", "\x37"),
    T("aas", "\x3f"),
    T("pusha", "\x60"),
    T("popa", "\x61"),
    T("call far ptr", "\x9a\x00\x00\x00\x00\x33\x00"),
    T("jmp far ptr", "\xea\x00\x00\x00\x00\x33\x00"),
    T("aam", "\xd4\x0a"),
    T("aad", "\xd5\x0a"),
    T("salc", "\xd6"),
    /* int n: user gates for 3 and 4; int1 traps at any CPL. */
    T("int3", "\xcc"),
    T("66 int3", "\x66\xcc"),
    T("lock int3", "\xf0\xcc"),
    T("int 3", "\xcd\x03"),
    T("int 4", "\xcd\x04"),
    T("int1", "\xf1"),
    T("f3 int1", "\xf3\xf1"),
    T("int 0", "\xcd\x00"),
    T("int 1", "\xcd\x01"),
    T("int 2", "\xcd\x02"),
    T("int 5", "\xcd\x05"),
    T("int 6", "\xcd\x06"),
    T("int 8", "\xcd\x08"),
    T("int 0xd", "\xcd\x0d"),
    T("int 0xe", "\xcd\x0e"),
    T("int 0x20", "\xcd\x20"),
    T("int 0x7f", "\xcd\x7f"),
    T("int 0x81", "\xcd\x81"),
    T("int 0xff", "\xcd\xff"),
    /* iretq to a ring-0 CS (0x10): #GP(0x10). The frame is popped by
     * the code after it, as the fault leaves it on the stack. */
    {"iretq to cs 0x10",
     "\x49\x89\xe4" /* mov %rsp,%r12 */
     "\x6a\x2b"     /* push $0x2b (ss) */
     "\x41\x54"     /* push %r12 (rsp) */
     "\x9c"         /* pushf */
     "\x6a\x10"     /* push $0x10 (cs) */
     "\x6a\x00",    /* push $0 (rip) */
     12,
     B("\x48\xcf"),
     "\x48\x83\xc4\x28", /* add $40,%rsp */
     4,
     {0}},
};

/* --- the kernel's configuration: UMIP and IA32 emulation --- */

/* The model's CR4.UMIP with Linux's emulation: sgdt/sidt store limit 0
 * and a dummy kernel address (UMIP_DUMMY_GDT_BASE, _IDT_BASE), smsw
 * CR0_STATE; sldt and str are #GP. A host whose sgdt shows anything
 * else runs user code without UMIP. */
static int host_without_umip(void) {
  uint8_t d[10];
  uint64_t base;
  __asm__ volatile("sgdt %0" : "=m"(d));
  memcpy(&base, d + 2, 8);
  return !(d[0] == 0 && d[1] == 0 && base == 0xfffffffffffe0000ull);
}

#define NO_UMIP "the host runs user code without CR4.UMIP"
#define NO_IA32 "the host kernel has no IA32 emulation (int 0x80 is #GP)"

/* What the model does natively, where the host differs: a C function
 * applying the result, or bytes giving the same signal. */
struct model_test {
  struct test t;
  const char *reason;
  void (*model)(struct regs *r);
  const char *fault, *fault_pre; /* instead of pre+code natively */
  int fault_len, fault_pre_len;
};

static void model_store(uint64_t base) {
  memset(scratch, 0, 2); /* limit 0 */
  memcpy(scratch + 2, &base, 8);
}
static void model_sgdt(struct regs *r) {
  (void)r;
  model_store(0xfffffffffffe0000ull);
}
static void model_sidt(struct regs *r) {
  (void)r;
  model_store(0xffffffffffff0000ull);
}
/* Linux copies operand-size bytes into the saved register. */
static void model_smsw_eax(struct regs *r) {
  r->rax = (r->rax & ~0xffffffffull) | 0x80050033;
}
static void model_smsw_ax(struct regs *r) {
  r->rax = (r->rax & ~0xffffull) | 0x0033;
}
static void model_smsw_rax(struct regs *r) { r->rax = 0x80050033; }
static void model_smsw_mem(struct regs *r) {
  (void)r;
  scratch[0] = 0x33, scratch[1] = 0;
}
/* int 0x80 as the i386 system call, done natively by the 64-bit one with
 * the same arguments (strace sees the same call). */
static void model_getpid(struct regs *r) { r->rax = (uint64_t)getpid(); }
static void model_write(struct regs *r) {
  r->rax = (uint64_t)write((int)r->rbx, (void *)(uintptr_t)(uint32_t)r->rcx,
                           (uint32_t)r->rdx);
}
static void model_umask(struct regs *r) {
  r->rax = (uint64_t)syscall(95, (uint32_t)r->rbx);
}
/* A number beyond the i386 table: -ENOSYS, no call made. */
static void model_enosys(struct regs *r) { r->rax = (uint64_t)-38; }

static const char msg[] = "written by int 0x80\n";
#define HI32 0x1234567800000000ull

static const struct model_test model_tests[] = {
    {{"sgdt (rdi)", NULL, 0, B("\x0f\x01\x07"), NULL, 0, {0}},
     NO_UMIP,
     model_sgdt,
     NULL,
     NULL,
     0,
     0},
    {{"sidt (rdi)", NULL, 0, B("\x0f\x01\x0f"), NULL, 0, {0}},
     NO_UMIP,
     model_sidt,
     NULL,
     NULL,
     0,
     0},
    {{"smsw eax", NULL, 0, B("\x0f\x01\xe0"), NULL, 0, {.rax = HI32 | 0xaaaa}},
     NO_UMIP,
     model_smsw_eax,
     NULL,
     NULL,
     0,
     0},
    {{"smsw ax",
      NULL,
      0,
      B("\x66\x0f\x01\xe0"),
      NULL,
      0,
      {.rax = HI32 | 0xaaaa}},
     NO_UMIP,
     model_smsw_ax,
     NULL,
     NULL,
     0,
     0},
    {{"smsw rax",
      NULL,
      0,
      B("\x48\x0f\x01\xe0"),
      NULL,
      0,
      {.rax = HI32 | 0xaaaa}},
     NO_UMIP,
     model_smsw_rax,
     NULL,
     NULL,
     0,
     0},
    {{"smsw (rdi)", NULL, 0, B("\x0f\x01\x27"), NULL, 0, {0}},
     NO_UMIP,
     model_smsw_mem,
     NULL,
     NULL,
     0,
     0},
    /* A store Linux cannot make: SIGSEGV, SEGV_MAPERR, as a user write
     * #PF at the operand (force_sig_info_umip_fault); natively a store
     * to the same address. */
    {{"sgdt (rdx), rdx 0x80",
      NULL,
      0,
      B("\x0f\x01\x02"),
      NULL,
      0,
      {.rdx = 0x80}},
     NO_UMIP,
     NULL,
     "\x88\x02\x90",
     NULL,
     3,
     0},
    /* Not emulated: #GP, as hlt gives natively. */
    {{"sldt eax", NULL, 0, B("\x0f\x00\xc0"), NULL, 0, {0}},
     NO_UMIP,
     NULL,
     "\xf4\x90\x90",
     NULL,
     3,
     0},
    {{"sldt (rdi)", NULL, 0, B("\x0f\x00\x07"), NULL, 0, {0}},
     NO_UMIP,
     NULL,
     "\xf4\x90\x90",
     NULL,
     3,
     0},
    {{"str eax", NULL, 0, B("\x0f\x00\xc8"), NULL, 0, {0}},
     NO_UMIP,
     NULL,
     "\xf4\x90\x90",
     NULL,
     3,
     0},
    {{"str (rdi)", NULL, 0, B("\x0f\x00\x0f"), NULL, 0, {0}},
     NO_UMIP,
     NULL,
     "\xf4\x90\x90",
     NULL,
     3,
     0},
    /* int 0x80: eax 20 getpid; eax 4 write(ebx, ecx, edx) with the upper
     * halves set (the kernel takes 32 bits); eax 60 umask; a number past
     * the table, with r8-r11 set (kept, as every register but rax). */
    {{"int 0x80 getpid", NULL, 0, B("\xcd\x80"), NULL, 0, {.rax = 20}},
     NO_IA32,
     model_getpid,
     NULL,
     NULL,
     0,
     0},
    {{"int 0x80 write",
      NULL,
      0,
      B("\xcd\x80"),
      NULL,
      0,
      {.rax = HI32 | 4, .rbx = HI32 | 1, .rdx = HI32 | (sizeof msg - 1)}},
     NO_IA32,
     model_write,
     NULL,
     NULL,
     0,
     0},
    {{"int 0x80 umask",
      NULL,
      0,
      B("\xcd\x80"),
      NULL,
      0,
      {.rax = 60, .rbx = 022}},
     NO_IA32,
     model_umask,
     NULL,
     NULL,
     0,
     0},
    {{"int 0x80 eax 0x7fff",
      NULL,
      0,
      B("\xcd\x80"),
      NULL,
      0,
      {.rax = 0x7fff, .rbx = 1, .r8 = 8, .r9 = 9, .r10 = 10, .r11 = 11}},
     NO_IA32,
     model_enosys,
     NULL,
     NULL,
     0,
     0},
};

static int host_lacks(const char *reason) {
  if (!strcmp(reason, NO_UMIP))
    return host_without_umip();
  return host_lacks_user32_cs();
}

int main(void) {
  size_t n_cpu = sizeof cpu_tests / sizeof cpu_tests[0];
  size_t n_model = sizeof model_tests / sizeof model_tests[0];
  slots_init(n_cpu + n_model);
  for (size_t k = 0; k < n_cpu; k++)
    place((int)k, &cpu_tests[k]);
  /* Where the host differs, the native run takes the model's answer: a
   * function, or bytes that fault as the model does. */
  static struct test used[sizeof model_tests / sizeof model_tests[0]];
  static int by_model[sizeof model_tests / sizeof model_tests[0]];
  for (size_t k = 0; k < n_model; k++) {
    const struct model_test *m = &model_tests[k];
    used[k] = m->t;
    by_model[k] = host_differs(m->t.name, m->reason, host_lacks(m->reason));
    if (by_model[k] && m->fault) {
      used[k].code = m->fault;
      used[k].pre = m->fault_pre;
      used[k].pre_len = m->fault_pre_len;
    }
    place((int)(n_cpu + k), &used[k]);
  }
  slots_seal();

  struct regs in, r;
  for (size_t k = 0; k < n_cpu; k++) {
    in = cpu_tests[k].in;
    run((int)k, &cpu_tests[k], &in, &r);
    print_regs(&in, &r);
  }
  for (size_t k = 0; k < n_model; k++) {
    const struct model_test *m = &model_tests[k];
    in = m->t.in;
    if (m->model == model_write)
      in.rcx = HI32 | (uint32_t)(uintptr_t)msg;
    memset(scratch, 0xee, sizeof scratch);
    if (by_model[k] && m->model) {
      in.rsi = in.rdi = (uint64_t)scratch;
      printf("%s\n", m->t.name);
      fflush(stdout);
      r = in;
      m->model(&r);
    } else {
      run((int)(n_cpu + k), &used[k], &in, &r);
    }
    if (m->model == model_getpid) {
      int same = r.rax == (uint64_t)getpid();
      r.rax = in.rax;
      printf("  rax is the pid: %s\n", same ? "yes" : "no");
    }
    print_regs(&in, &r);
    printf("  scratch:");
    for (int b = 0; b < 12; b++)
      printf(" %02x", scratch[b]);
    printf("\n");
  }
  return 0;
}
