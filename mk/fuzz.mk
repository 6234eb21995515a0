# fuzz.mk: libFuzzer targets for every parser that reads input a user or a
# guest controls (SECURITY.md has the list and the runs' figures).
#
#   make fuzz         every target for FUZZ_SECONDS (default 60) each
#   make fuzz-smoke   every target for FUZZ_SMOKE_SECONDS (default 5): CI
#   make fuzz-build   only build them, in build/fuzz/bin/
#   make fuzz T=fuzz_meminfo FUZZ_SECONDS=600   one target, longer
#   make fuzz-guest   the guest fuzzer: random guests under lab 03's real
#                     vmm (plain and SAN=1 builds, taking turns) for
#                     GUEST_FUZZ_SECONDS (default 60), on this machine's
#                     /dev/kvm or inside labvm (GUEST_FUZZ_KVM=auto|host|labvm);
#                     GUEST_FUZZ_SEED=S repeats a run. make fuzz and
#                     make fuzz-smoke (GUEST_FUZZ_SMOKE_SECONDS, 20) end with it
#                     when no T is given.
#
# A target is a file fuzz/fuzz_<name>.c in a lab (or grader/fuzz/) with a
# committed seed corpus in fuzz/corpus/fuzz_<name>/. It links the lab's own
# library sources, rebuilt here with clang, ASan, UBSan and libFuzzer's
# coverage into build/fuzz/ (the labs' own builds are left alone). New
# inputs the fuzzer finds go to build/fuzz/corpus/<target>/; a crash, leak,
# UB report or failed check is saved as build/fuzz/crashes/<target>-* and
# fails the run. Reproduce one with: build/fuzz/bin/<target> FILE
# Included from the top-level Makefile: paths are relative to the repo top.
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_BUILD         ?= build/fuzz
FUZZ_MAX_LEN       ?= 65536
FUZZ_SAN     := -fsanitize=address,undefined
FUZZ_CFLAGS  := -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra \
                $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer

# Each lab's library: the LIB_SRCS its own Makefile lists (mk/print-var.mk),
# asked only when a fuzz goal is (the top-level Makefile includes this file).
ifneq ($(filter fuzz%,$(MAKECMDGOALS)),)
fuzz_libsrc = $(addprefix $(1)/,$(shell $(MAKE) -s --no-print-directory -C $(1) \
	-f Makefile -f $(CURDIR)/mk/print-var.mk print-LIB_SRCS))
FUZZ_LIBSRC_01 := $(call fuzz_libsrc,labs/01-server)
FUZZ_LIBSRC_02 := $(call fuzz_libsrc,labs/02-partition)
FUZZ_LIBSRC_03 := $(call fuzz_libsrc,labs/03-hypervisor)
FUZZ_LIBSRC_04 := $(call fuzz_libsrc,labs/04-cloud)
FUZZ_LIBSRC_gr := $(call fuzz_libsrc,grader)
endif
# What a lab links: its own library only (each lab stands alone); jansson
# (labs 02, 04 read JSON with it) before json-c, as the labs' LDLIBS.
FUZZ_LINK_01 := $(FUZZ_BUILD)/lib01.a -ljson-c
FUZZ_LINK_02 := $(FUZZ_BUILD)/lib02.a -ljansson -ljson-c -lm
FUZZ_LINK_03 := $(FUZZ_BUILD)/lib03.a -ljson-c
FUZZ_LINK_04 := $(FUZZ_BUILD)/lib04.a -lsqlite3 -ljansson -ljson-c -lm
FUZZ_LINK_gr := $(FUZZ_BUILD)/libgr.a -ljson-c
# The labs' own include paths and defines (as their Makefiles set them).
$(FUZZ_BUILD)/obj/labs/01-server/%.o: FUZZ_CPP := -Ilabs/01-server/src \
	-Ilabs/01-server/given
$(FUZZ_BUILD)/obj/labs/02-partition/%.o: FUZZ_CPP := -Ilabs/02-partition/src \
	-Ilabs/02-partition/given \
	-DPART_LAB_DIR='"$(CURDIR)/labs/02-partition"'
$(FUZZ_BUILD)/obj/labs/03-hypervisor/%.o: FUZZ_CPP := -Ilabs/03-hypervisor/src \
	-Ilabs/03-hypervisor/given \
	-Ilabs/03-hypervisor/include
$(FUZZ_BUILD)/obj/labs/04-cloud/%.o: FUZZ_CPP := -Ilabs/04-cloud/src \
	-Ilabs/04-cloud/given -Ilabs/02-partition/src -DCLOUD_FLEETS='"$(CURDIR)/labs/04-cloud/fleets"' \
	-DCLOUD_SCRATCH='"$(CURDIR)/$(FUZZ_BUILD)/scratch"'
$(FUZZ_BUILD)/obj/grader/%.o: FUZZ_CPP := -Igrader/src -Igrader/include

FUZZ_LABS := 01 02 03 04 gr
FUZZ_DIR_01 := labs/01-server
FUZZ_DIR_02 := labs/02-partition
FUZZ_DIR_03 := labs/03-hypervisor
FUZZ_DIR_04 := labs/04-cloud
FUZZ_DIR_gr := grader

fuzz_obj = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(1))
# One lab: its library archive and its targets fuzz/fuzz_*.c.
define FUZZ_LAB
FUZZ_TGT_$(1) := $$(patsubst $$(FUZZ_DIR_$(1))/fuzz/%.c,%,$$(wildcard $$(FUZZ_DIR_$(1))/fuzz/fuzz_*.c))
FUZZ_TARGETS += $$(FUZZ_TGT_$(1))
$(FUZZ_BUILD)/lib$(1).a: $$(call fuzz_obj,$$(FUZZ_LIBSRC_$(1)))
	@rm -f $$@
	ar rcs $$@ $$^
$$(FUZZ_TGT_$(1):%=$(FUZZ_BUILD)/bin/%): $(FUZZ_BUILD)/bin/%: \
		$(FUZZ_BUILD)/obj/$$(FUZZ_DIR_$(1))/fuzz/%.o $$(filter %.a,$$(FUZZ_LINK_$(1)))
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_LDFLAGS) -o $$@ $$< $$(FUZZ_LINK_$(1))
endef
FUZZ_TARGETS :=
$(foreach l,$(FUZZ_LABS),$(eval $(call FUZZ_LAB,$(l))))

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CPP) -Imk -Igrader/include $(FUZZ_CFLAGS) -c -o $@ $<

# Which targets run: all, or the one T names.
FUZZ_RUN := $(if $(T),$(T),$(FUZZ_TARGETS))
FUZZ_BINS := $(FUZZ_RUN:%=$(FUZZ_BUILD)/bin/%)
# The seed corpus of each target: <lab>/fuzz/corpus/<target>/.
fuzz_seeds = $(strip $(foreach l,$(FUZZ_LABS),$(if $(filter $(1),$(FUZZ_TGT_$(l))),$(FUZZ_DIR_$(l))/fuzz/corpus/$(1))))

# ---- the guest fuzzer (lab 03): guests of random bytes under the real vmm --
GUEST_FUZZ_SECONDS       ?= 60
GUEST_FUZZ_SMOKE_SECONDS ?= 20
GUEST_FUZZ_SEED          ?=
GUEST_FUZZ_KVM           ?= auto
GF_LAB  := labs/03-hypervisor
GF_BIN  := $(FUZZ_BUILD)/guest/guestfuzz
GF_SRCS := $(GF_LAB)/fuzz/guestfuzz.c $(GF_LAB)/fuzz/guestgen.c \
           $(GF_LAB)/fuzz/guestrun.c
GF_VMMS := $(CURDIR)/$(GF_LAB)/build/vmm $(CURDIR)/$(GF_LAB)/build-san/vmm
GF_RUN   = $(GF_LAB)/fuzz/guestfuzz.sh $(GUEST_FUZZ_KVM) $(1) \
	"$(GUEST_FUZZ_SEED)" $(FUZZ_BUILD)/guest $(CURDIR)/$(GF_BIN) \
	$(CURDIR)/$(GF_LAB)/build/tests/kvmcheck $(GF_VMMS)
# A plain program (no libFuzzer): it forks vmm and watches it.
$(GF_BIN): $(GF_SRCS) $(GF_LAB)/fuzz/guestgen.h $(GF_LAB)/fuzz/guestrun.h \
		$(GF_LAB)/include/vmlab_abi.h
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -I$(GF_LAB)/include \
		-o $@ $(GF_SRCS)
# vmm twice: as users run it, and with ASan + UBSan (SAN=1, build-san/).
.PHONY: fuzz-guest fuzz-guest-build
fuzz-guest-build: $(GF_BIN)
	@$(MAKE) -s --no-print-directory -C $(GF_LAB) all build/tests/kvmcheck
	@$(MAKE) -s --no-print-directory -C $(GF_LAB) SAN=1 BUILD=build-san \
		build-san/vmm
fuzz-guest: fuzz-guest-build
	@$(call GF_RUN,$(GUEST_FUZZ_SECONDS))

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-clean
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_BINS) $(if $(T),,fuzz-guest-build)
	@mk/fuzz-run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_MAX_LEN) \
		$(foreach t,$(FUZZ_RUN),$(t)=$(call fuzz_seeds,$(t)))
	$(if $(T),,@$(call GF_RUN,$(GUEST_FUZZ_SECONDS)))
fuzz-smoke: $(FUZZ_BINS) $(if $(T),,fuzz-guest-build)
	@mk/fuzz-run.sh $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS) $(FUZZ_MAX_LEN) \
		$(foreach t,$(FUZZ_RUN),$(t)=$(call fuzz_seeds,$(t)))
	$(if $(T),,@$(call GF_RUN,$(GUEST_FUZZ_SMOKE_SECONDS)))
fuzz-clean:
	rm -rf $(FUZZ_BUILD)

-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
