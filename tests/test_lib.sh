# Helpers of the shell tests (sourced): fail, and expect_exit, which runs a command with its
# output in out.txt and err.txt and checks its exit code.
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() {  # expect_exit CODE command...
  local want=$1; shift
  set +e; "$@" >out.txt 2>err.txt; local got=$?; set -e
  [ "$got" = "$want" ] || { cat err.txt >&2; fail "'$*' exited $got, expected $want"; }
}
# begin_test NEARDUP_BINARY SOURCE_DIR: sets neardup, src and data (the shared corpora), and
# moves into a new work directory, removed (with any background job) when the test exits.
begin_test() {
  neardup=$(realpath "$1")
  src=$(realpath "$2")
  data="${NEARDUP_DATA:-$src/../shared/data}"
  work=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
  cd "$work"
}
# as_nobody_if_root COMMAND...: sets the array `run` to the prefix that runs a command as the
# unprivileged user "nobody" when the test runs as root (unreadable files exist only for
# other users), opens $work to it, and fails unless COMMAND then runs.
as_nobody_if_root() {
  run=()
  if [ "$(id -u)" = 0 ]; then
    run=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 755 "$work"
    "${run[@]}" "$@" >/dev/null 2>&1 || fail "cannot run '$*' as nobody (needed to test unreadable files as root)"
  fi
}
