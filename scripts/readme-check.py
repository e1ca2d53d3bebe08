#!/usr/bin/env python3
"""Runs the code blocks of README.md that can run on this machine (`.ci/run` calls it after
the release build). Usage: scripts/readme-check.py [README.md] [PERFGATE_BIN]

The rule, by the block's info string:
- ```sh          run with bash -e in a fresh scratch project: a git repository on branch
                 `main` holding work.sh (`sleep 0.01`) and, unless the block itself runs
                 `perfgate init`, the files `perfgate init --command "sleep 0.01" --command
                 "sh work.sh"` writes (committed). target/release is first on PATH. Exit 0
                 passes; so does exit 1 from a perfgate command (a verdict: timing on a shared
                 host is not what this checks); anything else fails.
- ```sh ci       run by .ci/run itself (the quick start: `cargo test`, and the release
                 binary's `run --quick` against the committed baseline); checked here to be
                 exactly those two commands.
- ```sh no-run   not run: needs the network or the user's own project (the reason is next
                 to the block in the README).
- ```toml        a perfgate.toml example: `perfgate list --suite` must accept it.
- ```yaml        the workflow `perfgate init` writes: must equal it (without its comment
                 line) and pass actionlint when actionlint is installed.
- ```text        output shown, not run.
Any other info string fails, so every new block is classified.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "README.md")
PERFGATE = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "target/release/perfgate"))
QUICK_START = ["cargo run --release -- run", "cargo test"]
INIT = ["init", "--command", "sleep 0.01", "--command", "sh work.sh"]


def blocks(text):
    """(line number, info string, body) of every fenced block."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        m = re.match(r"^```(.*)$", lines[i])
        if m:
            start, info, body = i + 1, m.group(1).strip(), []
            i += 1
            while not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            out.append((start, info, "\n".join(body) + "\n"))
        i += 1
    return out


def sh(cmd, cwd, env=None, check=True):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"{cmd}: exit {r.returncode}\n{r.stdout}{r.stderr}")
    return r


def project(env, with_init):
    d = tempfile.mkdtemp(prefix="readme-")
    git = ["git", "-c", "user.name=readme", "-c", "user.email=readme@example.com"]
    sh(["git", "init", "-q", "-b", "main"], d)
    with open(os.path.join(d, "work.sh"), "w") as f:
        f.write("sleep 0.01\n")
    if with_init:
        sh([PERFGATE] + INIT, d, env)
    sh(git + ["add", "-A"], d)
    sh(git + ["commit", "-q", "-m", "project"], d)
    return d


def main():
    text = open(README).read()
    env = dict(os.environ, PATH=os.path.dirname(PERFGATE) + os.pathsep + os.environ["PATH"])
    failures, ran = [], 0
    for line, info, body in blocks(text):
        where = f"{README}:{line}"
        commands = [l.strip() for l in body.splitlines() if l.strip() and not l.strip().startswith("#")]
        if info == "sh ci":
            if commands != QUICK_START:
                failures.append(f"{where}: the quick start must be exactly {QUICK_START}, is {commands}")
            ci = open(os.path.join(ROOT, ".ci/run")).read()
            for needed in ["cargo test --locked", "./target/release/perfgate run --quick"]:
                if needed not in ci:
                    failures.append(f"{where}: .ci/run no longer runs `{needed}`")
        elif info in ("sh no-run", "text"):
            continue
        elif info == "sh":
            d = project(env, with_init=not any(c.startswith("perfgate init") for c in commands))
            for command in commands:
                r = subprocess.run(["bash", "-c", command], cwd=d, env=env, capture_output=True, text=True)
                ok = r.returncode == 0 or (r.returncode == 1 and command.startswith("perfgate "))
                print(f"{where}: `{command}` → exit {r.returncode}")
                ran += 1
                if not ok:
                    failures.append(f"{where}: `{command}` exited {r.returncode}\n{r.stdout}{r.stderr}")
            shutil.rmtree(d, ignore_errors=True)
        elif info == "toml":
            d = tempfile.mkdtemp(prefix="readme-")
            path = os.path.join(d, "perfgate.toml")
            with open(path, "w") as f:
                f.write(body)
            r = sh([PERFGATE, "list", "--suite", path], d, env, check=False)
            ran += 1
            if r.returncode != 0:
                failures.append(f"{where}: perfgate list --suite rejects the example\n{r.stderr}")
            shutil.rmtree(d, ignore_errors=True)
        elif info == "yaml":
            d = project(env, with_init=True)
            written = open(os.path.join(d, ".github/workflows/perfgate.yml")).read()
            written = "".join(l for l in written.splitlines(True) if not l.startswith("#"))
            if written != body:
                failures.append(f"{where}: differs from the workflow `perfgate init` writes:\n{written}")
            if shutil.which("actionlint"):
                path = os.path.join(d, ".github/workflows/readme.yml")
                with open(path, "w") as f:
                    f.write(body)
                r = sh(["actionlint", path], d, check=False)
                ran += 1
                if r.returncode != 0:
                    failures.append(f"{where}: actionlint\n{r.stdout}{r.stderr}")
            shutil.rmtree(d, ignore_errors=True)
        else:
            failures.append(f"{where}: unclassified code block ```{info} (see scripts/readme-check.py)")
    lines = text.count("\n")
    if lines > 300:
        failures.append(f"{README}: {lines} lines, more than 300")
    for f in failures:
        print("FAIL", f, file=sys.stderr)
    print(f"README check: {ran} commands/blocks run, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
