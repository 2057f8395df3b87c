"""`roomchat spec diff OLD NEW`: exit 0 compatible, 1 breaking, 2 usage or parse error."""

from __future__ import annotations

import argparse
import sys

from roomchat.specdiff import SpecError, diff_files, render_json, render_text

USAGE_OR_PARSE_ERROR = 2


def run(arguments: argparse.Namespace) -> int:
    try:
        report = diff_files(arguments.old, arguments.new)
    except SpecError as error:
        print(f"roomchat spec diff: {error}", file=sys.stderr)
        return USAGE_OR_PARSE_ERROR
    if arguments.format == "json":
        sys.stdout.write(render_json(report))
    else:
        sys.stdout.write(render_text(report, check_version=arguments.check_version))
    return report.exit_code(check_version=arguments.check_version)
