"""System tests of the memory manager: the mm ktests, the reports of a
write to read-only memory and of a stack overflow, double frees, and boots
with little and much memory on BIOS and UEFI.

Memory sizes: the banner's "memory: N MiB usable" is the sum of the usable
entries of the firmware's map, so it is a little below what QEMU was given.
Measured with QEMU 7.2: SeaBIOS keeps the top of the first MiB and a few
KiB near the end of RAM (about 1 MiB in all: 256M gives 255 MiB); OVMF
keeps about 6 MiB for its own runtime code and data, at every size (64M
gives 58, 4G gives 4090). The tolerances below are those plus a margin.
With 4G, QEMU's pc machine puts 1 GiB of it above 4 GiB (the PCI hole sits
below), so counting it all proves the map's high entries are used, and the
direct map must then reach past 4 GiB.

See: tests/system/README.md, docs/memory.md
"""
import re

from harness import EXIT_FAIL, EXIT_PASS, Guest, check, run_ktests, systest

TOLERANCE_MIB = {False: 2, True: 8}  # BIOS, UEFI: what firmware keeps


@systest("mm_ktests")
def _():
    return run_ktests("mm_*")


@systest("mm_ktests_uefi", timeout=180)
def _():
    return run_ktests("mm_*", uefi=True, timeout=170)


def exception_line(text):
    m = re.search(r"^EXCEPTION: (.*), vector (\d+), error code 0x([0-9a-f]+)$",
                  text, re.M)
    check(m, "no EXCEPTION line")
    return m.group(1), int(m.group(2)), int(m.group(3), 16), text[m.start():]


def field(report, name):
    m = re.search(rf"^  {name}\s+([0-9a-f]{{16}})", report, re.M)
    check(m, f"no {name} field in the report")
    return int(m.group(1), 16)


@systest("mm_write_rodata_faults")
def _():
    """A write to a read-only kernel page: a page fault report that names
    the address, the cause and the function, then a panic (exit 35)."""
    with Guest(cmdline="ktest=mm_write_rodata") as g:
        status = g.wait_exit(60)
        text = g.serial
    m = re.search(r"^mm_write_rodata: writing to 0x([0-9a-f]+)$", text, re.M)
    check(m, "the test did not say where it writes")
    target = int(m.group(1), 16)
    name, vector, error, report = exception_line(text)
    check(name == "Page Fault (#PF)", f"exception is {name!r}")
    check(vector == 14, f"vector {vector}")
    check(error == 0x3, f"error code {error:#x}, expected 0x3 "
          "(present, write)")
    check(field(report, "CR2") == target,
          f"CR2 {field(report, 'CR2'):#x}, expected {target:#x}")
    check(re.search(r"^  cause: protection violation, write, kernel mode$",
                    report, re.M), "cause line wrong")
    check(re.search(r"^  RIP\s+ffffffff8[0-9a-f]+  "
                    r"<ktest_fn_mm_write_rodata\+0x[0-9a-f]+>$", report, re.M),
          "RIP not symbolised as ktest_fn_mm_write_rodata")
    check(re.search(r"^PANIC: unhandled Page Fault \(#PF\) in kernel mode$",
                    report, re.M), "no PANIC line")
    check(status == EXIT_FAIL, f"exit {status}, expected {EXIT_FAIL}")


@systest("mm_stack_guard_faults")
def _():
    """Running off the boot stack hits its guard page: a double fault (the
    page fault cannot push its frame) reported from the IST stack, or a page
    fault in the guard page; never a silent reset (QEMU exit 0)."""
    with Guest(cmdline="ktest=mm_stack_guard") as g:
        status = g.wait_exit(60)
        text = g.serial
    m = re.search(r"^mm_stack_guard: boot stack 0x([0-9a-f]+)\.\.0x[0-9a-f]+, "
                  r"guard page at 0x([0-9a-f]+)$", text, re.M)
    check(m, "the test did not name its guard page")
    bottom, guard = int(m.group(1), 16), int(m.group(2), 16)
    check(bottom == guard + 4096, "guard page is not right below the stack")
    check(status != 0, "QEMU exited 0: a triple fault reset the machine")
    name, vector, _, report = exception_line(text)
    check(name in ("Double Fault (#DF)", "Page Fault (#PF)"),
          f"exception is {name!r}")
    if vector == 14:
        check(guard <= field(report, "CR2") < bottom, "CR2 not in the guard")
    rsp = field(report, "RSP")
    check(guard - 64 <= rsp < bottom + 4096,
          f"RSP {rsp:#x} is not at the guard page {guard:#x}")
    check(re.search(r"^  RIP\s+ffffffff8[0-9a-f]+  <overflow\+0x[0-9a-f]+>$",
                    report, re.M), "RIP not symbolised as overflow()")
    check(re.search(rf"^PANIC: unhandled {re.escape(name)} in kernel mode$",
                    report, re.M), "no PANIC line")
    check(status == EXIT_FAIL, f"exit {status}, expected {EXIT_FAIL}")


@systest("mm_pmm_double_free_panics")
def _():
    with Guest(cmdline="ktest=mm_pmm_double_free") as g:
        status = g.wait_exit(60)
        text = g.serial
    m = re.search(r"^mm_pmm_double_free: frame (0x[0-9a-f]+)$", text, re.M)
    check(m, "the test did not name its frame")
    check(re.search(rf"^PANIC: pmm: frame {m.group(1)} freed twice$", text,
                    re.M), "no panic naming the frame")
    check(status == EXIT_FAIL, f"exit {status}, expected {EXIT_FAIL}")


@systest("mm_heap_double_free_panics")
def _():
    with Guest(cmdline="ktest=mm_heap_double_free") as g:
        status = g.wait_exit(60)
        text = g.serial
    m = re.search(r"^mm_heap_double_free: block (0x[0-9a-f]+)$", text, re.M)
    check(m, "the test did not name its block")
    check(re.search(rf"^PANIC: heap: double free at {m.group(1)}$", text,
                    re.M), "no panic naming the block")
    check(status == EXIT_FAIL, f"exit {status}, expected {EXIT_FAIL}")


def boot_with_memory(mib, uefi, cpu=None):
    """Boots with `mib` MiB, runs the frame and page-table ktests (not the
    heap's: 32 MiB cannot hold its 64 MiB), and checks the counts. Returns
    the serial text."""
    mem = f"{mib // 1024}G" if mib >= 1024 else f"{mib}M"
    with Guest(cmdline="ktest=mm_pmm_*,mm_vmm_*", mem=mem, uefi=uefi,
               cpu=cpu) as g:
        status = g.wait_exit(170 if uefi else 110)
        text = g.serial
    m = re.search(r"^memory: (\d+) MiB usable$", text, re.M)
    check(m, "no memory line in the banner")
    usable = int(m.group(1))
    low = mib - TOLERANCE_MIB[uefi]
    check(low <= usable <= mib,
          f"{usable} MiB usable of {mib} MiB; expected {low}..{mib}")
    p = re.search(r"pmm: (\d+) MiB usable in (\d+) frames", text)
    check(p, "no pmm line")
    check(abs(int(p.group(1)) - usable) <= 1,
          f"pmm counts {p.group(1)} MiB, the banner {usable}")
    v = re.search(r"vmm: direct map of (\d+) MiB with (2 MiB|1 GiB) pages",
                  text)
    check(v, "no vmm line")
    check(int(v.group(1)) >= max(usable, 4096),
          f"direct map of {v.group(1)} MiB does not cover memory")
    if mib > 3 * 1024:
        check(int(v.group(1)) > 4096, "memory above 4 GiB is not mapped")
    want_page = "1 GiB" if cpu and "pdpe1gb" in cpu else "2 MiB"
    check(v.group(2) == want_page, f"direct map uses {v.group(2)} pages, "
          f"expected {want_page}")
    check(re.search(r"^ktest: \d+ passed, 0 failed$", text, re.M),
          "some ktests failed")
    check(status == EXIT_PASS, f"exit {status}, expected {EXIT_PASS}")
    return text


def memory_test(mib, uefi):
    def run():
        boot_with_memory(mib, uefi)
    return run


for _mib in (32, 256, 4096):
    systest(f"mm_memory_bios_{_mib}m")(memory_test(_mib, False))
for _mib in (64, 256, 4096):
    systest(f"mm_memory_uefi_{_mib}m", timeout=180)(memory_test(_mib, True))


@systest("mm_direct_map_1gib_pages")
def _():
    """A CPU with 1 GiB pages (CPUID 0x80000001 EDX bit 26) gets them; the
    default qemu64 model has none and gets 2 MiB pages (checked above)."""
    boot_with_memory(256, uefi=False, cpu="qemu64,+pdpe1gb")
