#!/usr/bin/env bash
# Builds an OCI image for every project of aspire-manifest.json without a container engine:
#   1. a minimal base: the few Debian packages the .NET runtime loads (libc, libstdc++, OpenSSL, ICU,
#      zlib, tzdata) unpacked with dpkg-deb, the CA bundle, the .NET and ASP.NET Core shared runtimes,
#      and an unprivileged user (uid/gid 10001); no shell, no package manager;
#   2. per project, `dotnet publish` (framework-dependent, linux-x64) added as one layer at /app, with
#      its entrypoint, user, exposed port and labels (umoci);
#   3. with --push, each image copied to a registry with skopeo; with no HIVE_REGISTRY given, a
#      `docker-registry` on 127.0.0.1:5000 is started for the push (its data in .hive/registry) and stopped after.
#
#   bash deploy/images.sh [--push] [--tag TAG] [name ...]      # names from the manifest; all by default
#
# The OCI layout lands in .artifacts/images/oci (tags: base and one per project); sizes and times print at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${HIVE_IMAGES_DIR:-$root/.artifacts/images}
oci=$out/oci
tag=dev
push=0
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --push) push=1 ;;
    --tag) tag=$2; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) only+=("$1") ;;
  esac
  shift
done

uid=10001
# What the .NET runtime and its native libraries load on Debian 12 (bookworm); nothing else.
packages=(libc6 libgcc-s1 libstdc++6 libssl3 zlib1g libicu72 tzdata)

tools=()
command -v umoci >/dev/null || tools+=(umoci)
command -v skopeo >/dev/null || tools+=(skopeo)
[ "$push" = 1 ] && [ -z "${HIVE_REGISTRY:-}" ] && ! command -v docker-registry >/dev/null && tools+=(docker-registry)
if [ ${#tools[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${tools[@]}" >/dev/null
fi

start=$SECONDS
mkdir -p "$out"
rm -rf "$oci"
umoci init --layout "$oci"

# ---- the base ---------------------------------------------------------------------------------
base_start=$SECONDS
rootfs=$out/base-rootfs
debs=$out/debs
rm -rf "$rootfs"; mkdir -p "$rootfs" "$debs"
(cd "$debs" && rm -f ./*.deb && apt-get download "${packages[@]}" >/dev/null)
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$rootfs"; done
rm -rf "$rootfs"/usr/share/{doc,man,info,lintian,locale} "$rootfs"/usr/lib/x86_64-linux-gnu/gconv

# proc, dev and sys are the mount points every runtime (and the image test's chroot) fills.
mkdir -p "$rootfs"/{etc/ssl/certs,tmp,app,usr/share/dotnet,usr/bin,proc,dev,sys}
chmod 1777 "$rootfs/tmp"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:%s:%s:app:/app:/usr/sbin/nologin\n' "$uid" "$uid" > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:%s:\n' "$uid" > "$rootfs/etc/group"
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

# The shared runtimes the SDK here runs on (the newest patch of each), so the apps roll forward to them.
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
core=$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/10.* | sort -V | tail -n 1)
aspnet=$(ls -d "$dotnet_root"/shared/Microsoft.AspNetCore.App/10.* | sort -V | tail -n 1)
mkdir -p "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$rootfs/usr/share/dotnet/"
cp -a "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$rootfs/usr/share/dotnet/" 2>/dev/null || true
cp -a "$core" "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App/"
cp -a "$aspnet" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
ln -sf ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

umoci new --image "$oci:base"
umoci insert --image "$oci:base" --history.created_by "deploy/images.sh: Debian ${packages[*]}, .NET $(basename "$core")" "$rootfs" /
umoci config --image "$oci:base" --os linux --architecture amd64 \
  --config.user "$uid:$uid" --config.workingdir /app \
  --config.env DOTNET_RUNNING_IN_CONTAINER=true --config.env DOTNET_ROOT=/usr/share/dotnet \
  --config.env PATH=/usr/share/dotnet:/usr/bin:/bin \
  --config.label org.opencontainers.image.base.name=hive/base \
  --config.label "org.opencontainers.image.description=Debian ${packages[*]} and .NET $(basename "$core")"
base_seconds=$((SECONDS - base_start))

# ---- one image per project --------------------------------------------------------------------
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
report=()
built=()
while IFS=$'\t' read -r name path port; do
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  image_start=$SECONDS
  publish=$out/publish/$name
  rm -rf "$publish"
  dotnet publish "$path" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false \
    -o "$publish" --nologo --verbosity quiet
  dll=$(basename "$path" .csproj).dll

  config=(--config.entrypoint /usr/share/dotnet/dotnet --config.entrypoint "/app/$dll"
          --config.label "org.opencontainers.image.title=$name"
          --config.label "org.opencontainers.image.revision=$revision"
          --config.label "org.opencontainers.image.source=$path"
          --config.label "io.hive.user=$uid")
  if [ "$port" != "-" ]; then
    config+=(--config.exposedports "$port/tcp" --config.env "HTTP_PORTS=$port"
             --config.label "io.hive.health.live=/health/live" --config.label "io.hive.health.ready=/health/ready")
  fi
  umoci config --image "$oci:base" --tag "$name" "${config[@]}"
  umoci insert --image "$oci:$name" --history.created_by "dotnet publish $path" "$publish" /app
  report+=("$name $((SECONDS - image_start))")
  built+=("$name")
done < <(dotnet run --project deploy/Hive.Deploy -- --list-projects)
umoci gc --layout "$oci"

# ---- push -------------------------------------------------------------------------------------
registry_pid=
stop_registry() { [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true; }
trap stop_registry EXIT
if [ "$push" = 1 ]; then
  registry=${HIVE_REGISTRY:-}
  if [ -z "$registry" ]; then
    registry=127.0.0.1:5000
    if ! curl -fsS "http://$registry/v2/" >/dev/null 2>&1; then
      mkdir -p "$root/.hive/registry"
      cat > "$out/registry.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $root/.hive/registry
http:
  addr: $registry
EOF
      docker-registry serve "$out/registry.yml" > "$out/registry.log" 2>&1 &
      registry_pid=$!
      for _ in $(seq 1 50); do curl -fsS "http://$registry/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
    fi
  fi
  for name in "${built[@]}"; do
    skopeo copy --quiet --dest-tls-verify=false "oci:$oci:$name" "docker://$registry/hive/$name:$tag"
  done
  echo "pushed ${#built[@]} images to $registry/hive/*:$tag"
fi

# ---- what was built ---------------------------------------------------------------------------
size_of() { # compressed bytes of an image's layers, from its manifest in the layout
  local digest
  digest=$(grep -o "\"digest\":\"sha256:[0-9a-f]*\"[^}]*\"org.opencontainers.image.ref.name\":\"$1\"" "$oci/index.json" | grep -o 'sha256:[0-9a-f]*' | head -n 1)
  grep -o '"size":[0-9]*' "$oci/blobs/sha256/${digest#sha256:}" | tail -n +2 | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'
}
echo "base: $((base_seconds)) s, $(( $(size_of base) / 1048576 )) MiB compressed, $(du -sm "$rootfs" | cut -f1) MiB unpacked"
for entry in "${report[@]}"; do
  set -- $entry
  echo "$1: $2 s, $(( $(size_of "$1") / 1048576 )) MiB compressed (base included), app layer $(du -sm "$out/publish/$1" | cut -f1) MiB unpacked"
done
echo "total $((SECONDS - start)) s; layout: $oci"
