# common.mk: compiler and flags shared by every C build in vmlab.
# Override any of these from the command line: make CC=clang WERROR=0.
CC      ?= cc
CSTD    ?= c11
WERROR  ?= 1
PREFIX  ?= /usr/local
OPT     ?= -O2 -g
WARN    := -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
CFLAGS  ?= $(OPT)
# Dependency files (-MMD -MP) and the warning set are always on, so that a
# CFLAGS given on the command line changes optimisation, not correctness.
override CFLAGS += -std=$(CSTD) $(WARN) -MMD -MP
# Sanitizer builds: make SAN=1 (ASan + UBSan).
ifeq ($(SAN),1)
override CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=address,undefined
endif
