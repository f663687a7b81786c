#!/usr/bin/env python3
"""Type-checks every Swift example in the library targets' doc comments.

Run from anywhere after `swift build --build-tests` (`.ci/run` runs it right after that):

    scripts/check-doc-examples.py             # check; exit 1 with the errors if one fails
    scripts/check-doc-examples.py --list      # print the examples found, check nothing
    scripts/check-doc-examples.py --keep      # keep the generated files and say where
    scripts/check-doc-examples.py --warnings  # show warnings too (unused values expected)

Which files
  Every `.swift` file under `Sources/<Module>/` for each directory there that holds Swift
  files, except the command-line tool `Sources/fraudscan`: the module list follows the
  directories, so splitting or renaming a module needs no change here. Tests are not read.

Which blocks are examples (the rule; nothing is guessed from a block's content)
  A doc comment is a run of consecutive `///` lines; its text (each line without `///` and
  one space) is Markdown, read as CommonMark reads it (checked against cmark-gfm on every
  doc comment of the package when this was written):
    - an indented code block: after a blank `///` line (or at the comment's start), lines
      indented four spaces past the enclosing list item's text, or past the margin outside
      a list; a `- Parameters:` item's wrapped lines are text, not code;
    - a fenced block (``` or ~~~) with no language tag or the tag `swift`.
  A fenced block with any other tag is not Swift and is skipped. That tag is the only way
  out: `json`, `toml`, `csv` or `sh` for such data and commands, `text` for formulas and
  printed messages. Every Swift example must be complete: if it needs a value (a signal
  set, a matrix), it makes one, e.g. `let set = try SignalSet(contentsOf: "fixtures/...")`.
  An indented block right after a list, indented less than four past the item's text, is
  an error here: Markdown shows it as more text of the item, not as code.

How they are checked
  Each example becomes the body of `func example_<Module>_<file>_<line>() async throws`
  (so `try` and `await` work). Examples on public declarations go in one file that imports
  Foundation and every library module, as a client sees them; examples on internal ones
  go in a file per module that imports that module with `@testable` (SwiftPM's debug
  builds allow it) and the others plainly, as the module's own code sees them. Every
  import names the SPI groups its module declares (`@_spi(Checkpoint)`), as the package's
  modules that use them import it. One
  `swiftc -typecheck` run checks all files against the `.swiftmodule`s in
  `$(swift build --show-bin-path)/Modules`. `#sourceLocation` and the examples' own columns
  make every error read `Sources/...swift:LINE:COLUMN: error: ...` at the doc comment's
  line. Warnings are not shown (examples show values by leaving them unused) unless asked.
  The examples are compiled, never run.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXCLUDED_MODULES = {"fraudscan"}  # the command-line tool: not importable, no API docs

DOC_LINE = re.compile(r"^(\s*)///(.*)$")
LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])(\s+)\S")
FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})\s*([^`\s]*)")


def indent_of(text):
  return len(text) - len(text.lstrip(" "))


def library_modules():
  """Module directories under Sources/ that hold Swift files, minus the tool."""
  sources = os.path.join(ROOT, "Sources")
  modules = []
  for name in sorted(os.listdir(sources)):
    path = os.path.join(sources, name)
    if name in EXCLUDED_MODULES or not os.path.isdir(path):
      continue
    if any(f.endswith(".swift") for _, _, files in os.walk(path) for f in files):
      modules.append(name)
  return modules


def doc_comments(lines):
  """Yields each doc comment as a list of (line number, text, column of the text)."""
  comment = []
  for number, line in enumerate(lines, start=1):
    match = DOC_LINE.match(line)
    if match:
      text = match.group(2)
      column = len(match.group(1)) + 3
      if text.startswith(" "):
        text, column = text[1:], column + 1
      comment.append((number, text, column))
    elif comment:
      yield comment
      comment = []
  if comment:
    yield comment


def examples_in(comment):
  """Yields (first line, [(line number, source column, code)], language) per block.

  Follows CommonMark as far as doc comments need it: `lists` holds the text indentation
  of each open list item, innermost last; a block's indentation counts from there."""
  i = 0
  lists = []
  previous_blank = True    # the comment's start counts as a blank line
  while i < len(comment):
    number, text, offset = comment[i]
    indent = indent_of(text)
    if not text.strip():
      previous_blank = True
      i += 1
      continue
    item = LIST_ITEM.match(text)
    if previous_blank or item:
      # A line left of an item's text, after a blank line or as a new item, closes it.
      while lists and indent < lists[-1]:
        lists.pop()
    level = lists[-1] if lists else 0
    fence = FENCE.match(text[level:]) if indent - level < 4 else None
    if fence:
      marker, language = fence.group(2), fence.group(3).lower()
      strip = level + len(fence.group(1))
      body = []
      i += 1
      while i < len(comment) and not comment[i][1].strip().startswith(marker):
        n, t, o = comment[i]
        cut = min(indent_of(t), strip)
        body.append((n, o + cut, t[cut:]))
        i += 1
      i += 1  # the closing fence
      yield number, body, language or "swift"
      previous_blank = False
      continue
    if previous_blank and indent >= level + 4:
      body = []
      while i < len(comment):
        n, t, o = comment[i]
        if t.strip() and indent_of(t) < level + 4:
          break
        body.append((n, o + level + 4, t[level + 4:]))
        i += 1
      while body and not body[-1][2].strip():
        body.pop()
      yield number, body, "swift"
      previous_blank = True
      continue
    if previous_blank and lists and not item and indent >= 4 and indent != level:
      # Markdown reads this as more text of the list item above, not as code, though it
      # looks like code: say so rather than skip it unchecked.
      yield number, [(number, offset, text)], "list-text"
    if item:
      lists.append(len(item.group(1)) + len(item.group(2)) + len(item.group(3)))
    previous_blank = False
    i += 1


def documents_public_declaration(lines, last_comment_line):
  """Whether the declaration after a doc comment (past attributes) is `public` or `open`."""
  for line in lines[last_comment_line:]:
    stripped = line.strip()
    if not stripped or stripped.startswith("@") or stripped.startswith("//"):
      continue
    return re.search(r"\b(public|open)\b", stripped.split("{")[0]) is not None
  return False


def collect():
  examples = []   # (path relative to ROOT, first line, body, documents a public declaration)
  skipped = []
  for module in library_modules():
    for directory, _, files in sorted(os.walk(os.path.join(ROOT, "Sources", module))):
      for name in sorted(files):
        if not name.endswith(".swift"):
          continue
        path = os.path.join(directory, name)
        relative = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as handle:
          lines = handle.read().split("\n")
        for comment in doc_comments(lines):
          public = documents_public_declaration(lines, comment[-1][0])
          for first, body, language in examples_in(comment):
            if language == "swift":
              examples.append((relative, first, body, public))
            else:
              skipped.append((relative, first, language))
  return examples, skipped


def misplaced(skipped):
  return [(relative, first) for relative, first, language in skipped if language == "list-text"]


def identifier(text):
  return re.sub(r"[^A-Za-z0-9_]", "_", text)


def dependency_modules():
  """The Swift package dependencies the library targets import (Logging, NIOCore, ...), so
  that an example can use the types a public API takes, as a client importing them would."""
  bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
  built = os.path.join(bin_path, "Modules")
  found = set()
  for module in library_modules():
    for path in glob.glob(os.path.join(ROOT, "Sources", module, "**", "*.swift"), recursive=True):
      with open(path, encoding="utf-8") as handle:
        found.update(re.findall(r"^import (\w+)$", handle.read(), flags=re.M))
  return sorted(m for m in found - set(library_modules())
                if os.path.exists(os.path.join(built, m + ".swiftmodule")))


def spi_groups(module):
  """The SPI groups `module` declares (`@_spi(Name)` on a declaration of its own, not on an
  import): its examples use them, as the modules importing that SPI do."""
  groups = set()
  for path in glob.glob(os.path.join(ROOT, "Sources", module, "**", "*.swift"), recursive=True):
    with open(path, encoding="utf-8") as handle:
      groups.update(re.findall(r"^\s*@_spi\((\w+)\)(?!.*\bimport\b)", handle.read(), flags=re.M))
  return sorted(groups)


def generate(examples, testable_module):
  """One file: imports, then one function per example. `#sourceLocation` points each
  example's lines at the doc comment, and every line keeps its source column (the `///`
  prefix becomes spaces), so diagnostics name the doc comment's own line and column."""
  out = ["// Generated by scripts/check-doc-examples.py; not part of the package.",
         "import Foundation"]
  out += ["".join(f"@_spi({group}) " for group in spi_groups(module))
          + ("@testable " if module == testable_module else "") + f"import {module}"
          for module in library_modules()]
  out += [f"import {module}" for module in dependency_modules()]
  for relative, first, body, _ in examples:
    module_and_file = os.path.splitext(os.path.relpath(relative, "Sources"))[0]
    out.append("")
    out.append(f"func example_{identifier(module_and_file)}_{first}() async throws {{")
    out.append(f'#sourceLocation(file: "{relative}", line: {body[0][0]})')
    for number, column, code in body:
      out.append(" " * column + code)
    out.append("#sourceLocation()")
    out.append("}")
  out.append("")
  return "\n".join(out)


def typecheck_command(sources, warnings=False):
  bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
  modules = os.path.join(bin_path, "Modules")
  if not os.path.isdir(modules):  # toolchains before 6.0 put .swiftmodule files in the bin path
    modules = bin_path
  missing = [m for m in library_modules()
             if not os.path.exists(os.path.join(modules, m + ".swiftmodule"))]
  if missing:
    raise SystemExit(f"check-doc-examples: no {', '.join(missing)}.swiftmodule in {modules}; "
                     "run `swift build --build-tests` first")
  command = ["swiftc", "-typecheck", "-parse-as-library", "-continue-building-after-errors",
             "-swift-version", "6", "-diagnostic-style", "llvm", "-module-name", "DocExamples",
             "-I", modules]
  # C modules (system-library shims in Sources/, C targets of dependencies in the bin path)
  # are found through their module maps, as SwiftPM finds them.
  maps = []
  for directory, _, files in os.walk(os.path.join(ROOT, "Sources")):
    if "module.modulemap" in files:
      maps.append(os.path.join(directory, "module.modulemap"))
  maps += glob.glob(os.path.join(bin_path, "*.build", "module.modulemap"))
  # C targets of dependencies that ship their own module map (swift-atomics' _AtomicsShims, ...).
  maps += glob.glob(os.path.join(ROOT, ".build", "checkouts", "*", "Sources", "*", "include", "module.modulemap"))
  for path in sorted(maps):
    command += ["-Xcc", "-fmodule-map-file=" + path]
  if not warnings:
    command.append("-suppress-warnings")
  return command + sources


def main():
  arguments = sys.argv[1:]
  examples, skipped = collect()
  if "--list" in arguments:
    for relative, first, body, public in examples:
      print(f"== {relative}:{first}" + ("" if public else " (internal API: @testable import)"))
      for _, _, code in body:
        print("  " + code)
    for relative, first, language in skipped:
      print(f"-- skipped {relative}:{first} ({language})")
    print(f"{len(examples)} examples, {len(skipped)} skipped")
    return 0
  if misplaced(skipped):
    for relative, first in misplaced(skipped):
      print(f"{relative}:{first}: error: this indented block follows a list, so Markdown renders it "
            "as the list item's text, not as code; end the list first (a line of prose) or indent "
            "it four spaces past the item's text")
    return 1
  directory = tempfile.mkdtemp(prefix="doc-examples.")
  sources = []
  # Examples of public declarations see the modules as a client does. Those of internal ones
  # see their own module's internals (`@testable import`), as its own code does, and the
  # other modules' public API only, so that two modules' internal types of one name
  # (SplitMix64) do not collide.
  groups = {"Public": (None, [e for e in examples if e[3]])}
  for module in library_modules():
    chosen = [e for e in examples if not e[3] and e[0].split(os.sep)[1] == module]
    groups["Internal" + module] = (module, chosen)
  for name, (testable_module, chosen) in groups.items():
    if chosen:
      sources.append(os.path.join(directory, name + ".swift"))
      with open(sources[-1], "w", encoding="utf-8") as handle:
        handle.write(generate(chosen, testable_module))
  try:
    result = subprocess.run(typecheck_command(sources, "--warnings" in arguments), cwd=ROOT,
                            capture_output=True, text=True)
  finally:
    if "--keep" in arguments:
      print(f"generated files kept in {directory}")
    else:
      shutil.rmtree(directory)
  output = (result.stdout + result.stderr).strip()
  errors = sum(1 for line in output.splitlines() if ": error:" in line)
  if result.returncode != 0 or "--warnings" in arguments:
    print(output, flush=True)
  if result.returncode != 0:
    print(f"check-doc-examples: {errors} error(s) in {len(examples)} doc-comment examples")
    return 1
  internal = sum(1 for example in examples if not example[3])
  print(f"check-doc-examples: {len(examples)} doc-comment examples type-check "
        f"({internal} of them on internal API, through @testable import)")
  return 0


if __name__ == "__main__":
  sys.exit(main())
