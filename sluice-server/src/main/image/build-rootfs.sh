#!/usr/bin/env bash
# Builds the container image's root file system, offline: a Java runtime made with jlink from the JDK
# running the build (only the modules Sluice uses), the shared libraries it loads (as the dynamic loader
# resolves them here), a non-root user and an empty /tmp. Jib then puts it under the application's layers
# on an empty ("scratch") base, so the image needs no registry to build.
#   build-rootfs.sh JAVA_HOME ROOT MODULES ETC_DIR
set -euo pipefail
java_home="$1"
root="$2"
modules="$3"
etc="$4"
rm -rf "$root"
mkdir -p "$root/opt" "$root/tmp" "$root/etc"
"$java_home/bin/jlink" --add-modules "$modules" --output "$root/opt/java" \
  --strip-debug --no-man-pages --no-header-files --compress=2
# java.desktop (java.beans, for Jackson) brings AWT's native libraries: Sluice runs headless and never loads
# them, so their X11 and image libraries are left out
libs=$( { ldd "$root/opt/java/bin/java"; find "$root/opt/java/lib" -name '*.so' \
    ! -name '*awt*' ! -name '*splashscreen*' ! -name '*fontmanager*' ! -name '*lcms*' ! -name '*javajpeg*' \
    ! -name '*mlib_image*' ! -name '*jsound*' -exec ldd {} \; ; } 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
for lib in $libs; do
  case "$(readlink -f "$lib")" in
    "$(readlink -f "$root")"/*) ;; # the runtime's own libraries are in place already
    *) cp -L --parents "$lib" "$root" ;;
  esac
done
cp "$etc"/passwd "$etc"/group "$etc"/nsswitch.conf "$root/etc/"
echo "image root file system: $(du -sh "$root" | cut -f1) in $root ($(echo "$libs" | wc -w) shared libraries)"
