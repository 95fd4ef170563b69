#!/bin/sh
# autogen.sh: regenerate the autotools files (configure, Makefile.in).
set -e
cd "$(dirname "$0")"
mkdir -p m4
exec autoreconf -fi
# SPDX-License-Identifier: BSD-2-Clause
