# shellcheck shell=bash
# Sourced by the project's scripts (.ci/*, e2e/*): what each of them needs on a machine as it
# comes new. Defines:
#
#   command_not_found_handle  bash calls it for a command that is not installed: one line naming
#                             the command and the Debian package that provides it, exit 127
#   dbb_package COMMAND       the Debian package that provides COMMAND
#   dbb_apt_install LOG PKG.. installs the packages that are missing (apt-get), output to LOG
#   dbb_first_line COMMAND..  the first line COMMAND prints, read to its end (no early-closing
#                             reader such as `| head -1`, which under pipefail can fail a
#                             pipeline by timing when the writer is killed by SIGPIPE)

# The Debian packages the project's scripts install that a new machine lacks (.ci/fresh-machine.sh
# removes exactly these): the real node's (e2e/node.sh) and the shell linter's (.ci/run).
# shellcheck disable=SC2034
DBB_NODE_PACKAGES=(containerd runc buildah mmdebstrap iptables conntrack containernetworking-plugins)
# shellcheck disable=SC2034
DBB_CI_PACKAGES=(shellcheck)
# The Docker engine of e2e/docker.sh (Debian's; its own service is never started).
# shellcheck disable=SC2034
DBB_DOCKER_PACKAGES=(docker.io)

# The Debian package of each command the scripts call that a new machine may lack.
dbb_package() {
  case "$1" in
    iptables | ip6tables | iptables-save) echo iptables ;;
    containerd | ctr) echo containerd ;;
    runc) echo runc ;;
    buildah) echo buildah ;;
    mmdebstrap) echo mmdebstrap ;;
    conntrack) echo conntrack ;;
    shellcheck) echo shellcheck ;;
    openssl) echo openssl ;;
    curl) echo curl ;;
    gcc) echo gcc ;;
    strip) echo binutils ;;
    ip) echo iproute2 ;;
    pgrep | pkill) echo procps ;;
    nsenter | setsid | unshare | mount | umount) echo util-linux ;;
    dockerd | docker) echo docker.io ;;
    tmux) echo tmux ;;
    git) echo git ;;
    go) echo golang-go ;;
    java) echo openjdk-25-jdk-headless ;;
    *) echo "" ;;
  esac
}

command_not_found_handle() {
  local pkg
  pkg="$(dbb_package "$1")"
  if [ -n "$pkg" ]; then
    echo "${0##*/}: FAILED: the command '$1' is not installed (Debian package: $pkg; apt-get install $pkg)" >&2
  else
    echo "${0##*/}: FAILED: the command '$1' is not installed" >&2
  fi
  return 127
}

# dbb_apt_install LOG PACKAGE...: installs those not yet installed; says which in one line.
dbb_apt_install() {
  local log="$1" missing=() p
  shift
  for p in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "${0##*/}: installing ${missing[*]} with apt-get" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
      >"$log" 2>&1; then
    echo "${0##*/}: FAILED: apt-get could not install ${missing[*]}; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
}

dbb_first_line() {
  local out
  out="$("$@")" || return
  printf '%s\n' "${out%%$'\n'*}"
}
