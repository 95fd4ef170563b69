#!/bin/bash
# t_container.sh: scripts/container builds the image of deploy/container/Containerfile from the Debian package (on a base made with mmdebstrap), and synscan in that container, run in the lab's scanner namespace, scans the lab as its expectation says: with podman's capabilities and -oX, and as the Kubernetes Job runs it (only NET_RAW, SETUID, SETGID, read-only root). SYNSCAN_SKIP_CONTAINER=1 skips it; SYNSCAN_DEB=FILE uses that package.
# tags: lab release
# shellcheck source=tests/integration/lib.sh
. "$(dirname "$0")/lib.sh"

[ "${SYNSCAN_SKIP_CONTAINER:-}" = 1 ] && skip_all "SYNSCAN_SKIP_CONTAINER=1"
for tool in podman mmdebstrap dpkg-deb; do
	command -v "$tool" >/dev/null || skip_all "$tool is not installed (apt-get install podman mmdebstrap)"
done
if [ -z "${SYNSCAN_DEB:-}" ]; then
	for tool in git dpkg-buildpackage dh; do
		command -v "$tool" >/dev/null || skip_all "$tool is missing to build the .deb: set SYNSCAN_DEB"
	done
	[ -d "$TOP/debian" ] || skip_all "no debian/ in $TOP: set SYNSCAN_DEB"
	git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 || skip_all "$TOP is not a git checkout: set SYNSCAN_DEB"
fi
CONTAINER=$TOP/scripts/container
IMAGE=localhost/synscan-it:$$
P=1-1024
# A lab of this test's own (the script brings it up and takes it down).
CLAB=it-ctr-$$
EXTRA_LABS+=("$CLAB")
# lib.sh's cleanup, then the image this test built (the base stays, for the
# next run: it takes longest to make).
cleanup_all() {
	cleanup
	podman rmi -f "$IMAGE" >/dev/null 2>&1
}
trap cleanup_all EXIT

# ---- build, and the scan of the lab from the container (-oX -) ----
deb_opt=()
[ -n "${SYNSCAN_DEB:-}" ] && deb_opt=(--deb "$SYNSCAN_DEB")
start=$(date +%s)
rc=0
timeout 900 "$CONTAINER" "${deb_opt[@]+"${deb_opt[@]}"}" --tag "$IMAGE" --workdir "$TMP/work" \
	--lab "$CLAB" --ports "$P" --out "$TMP/scan.xml" 2>"$TMP/container.err" || rc=$?
sed 's/^/# /' "$TMP/container.err"
echo "# scripts/container (.deb, base when missing, image, lab scan): $(($(date +%s) - start)) s"
[ "$rc" -eq 4 ] && skip_all "podman cannot work here: $(grep -m1 -E 'cannot|missing|not installed' "$TMP/container.err")"
check "scripts/container builds $IMAGE and scans the lab from it (rc=$rc)" [ "$rc" -eq 0 ]
if [ "$rc" -ne 0 ]; then
	tail -20 "$TMP/work/build.log" "$TMP/work/deb.log" 2>/dev/null | sed 's/^/# /'
	finish
	exit 1
fi
check "the XML is complete" labcheck xml-finished "$TMP/scan.xml"
check "scripts/container took its lab down" bash -c "! ip netns list | grep -q '^$CLAB-'"
check "... and the XML is of the lab's target (only its scanner namespace reaches it)" \
	grep -q '<address addr="198.18.0.2" addrtype="ipv4"' "$TMP/scan.xml"
lab_up ctr
expected_states "$P" >"$TMP/expect.txt"
check "the lab's expectation has every port of -p $P" [ "$(wc -l <"$TMP/expect.txt")" -eq 1024 ]
nmap_states "$TMP/scan.xml" | awk '$1 <= 1024' >"$TMP/xml.txt"
cut -d' ' -f1,2 "$TMP/expect.txt" >"$TMP/expect2.txt"
same_lines "every port's state in the container's XML equals the lab's expectation" \
	"$TMP/expect2.txt" "$TMP/xml.txt"

# ---- what the image holds ----
# Options with which podman starts containers here (the script found them).
popts=() ropts=()
if grep -q 'using --runtime runc' "$TMP/container.err"; then
	popts=(--runtime runc)
	ropts=(--ulimit nofile=1024:4096 --ulimit nproc=1024:4096)
fi
prun() {
	timeout 120 podman "${popts[@]+"${popts[@]}"}" run --rm "${ropts[@]+"${ropts[@]}"}" "$@"
}
deb=${SYNSCAN_DEB:-$(compgen -G "$TMP/work/src/synscan_*.deb" | head -1)}
want=$(dpkg-deb -f "$deb" Version)
# shellcheck disable=SC2016 # dpkg-query's fields, not the shell's
got=$(prun --network none "$IMAGE" dpkg-query -W -f='${Version} ${db:Status-Status}' synscan)
check "the image has the package installed ($got; the .deb is $want)" [ "$got" = "$want installed" ]
# Only lo in --network none: synscan --version sends nothing anyway.
out=$(prun --network none "$IMAGE" synscan --version 2>&1 | head -1)
check "synscan --version in the image says ${want%-*} ($out)" \
	bash -c "case \"\$1\" in *\"${want%-*}\"*) ;; *) false ;; esac" _ "$out"
check "the image has nmap's services (synscan's default ports)" \
	prun --network none "$IMAGE" test -s /usr/share/nmap/nmap-services
version=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version 2>/dev/null || echo "$want")
check "deploy/k8s/synscan-shards.yaml runs the image scripts/container names (localhost/synscan:${version%-*})" \
	[ "$(grep -cE "image: localhost/synscan:${version%-*}( |$)" "$TOP/deploy/k8s/synscan-shards.yaml")" -ge 2 ]

# ---- as the Kubernetes Job runs it ----
# Its securityContext: every capability dropped but NET_RAW, SETUID and
# SETGID; no new privileges; a read-only root; /out a volume.
mkdir -m 1777 "$TMP/out"
k8s=(--network "ns:/run/netns/$LABNAME-scan" --cap-drop ALL --cap-add NET_RAW --cap-add SETUID
	--cap-add SETGID --security-opt no-new-privileges --read-only -v "$TMP/out:/out")
rc=0
prun "${k8s[@]}" "$IMAGE" synscan -q -p "$P" 198.18.0.2 -oJ /out/scan.json \
	>/dev/null 2>"$TMP/k8s.err" || rc=$?
check "the Job's securityContext: synscan scans the lab (rc=$rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TMP/k8s.err"
ndjson_states "$TMP/out/scan.json" 198.18.0.2 >"$TMP/k8s.txt" 2>/dev/null
same_lines "... every port's state and reason as the lab says" "$TMP/expect.txt" "$TMP/k8s.txt"
# The same without NET_RAW: synscan cannot open its raw socket; one error
# line, exit 1.
rc=0
prun --network "ns:/run/netns/$LABNAME-scan" --cap-drop ALL --cap-add SETUID --cap-add SETGID \
	--security-opt no-new-privileges --read-only "$IMAGE" synscan -p 22 198.18.0.2 >/dev/null 2>"$TMP/noraw.err" || rc=$?
check "without NET_RAW it refuses to scan (rc=$rc): $(head -1 "$TMP/noraw.err")" \
	[ "$rc" -eq 1 -a "$(wc -l <"$TMP/noraw.err")" -eq 1 ]
finish
