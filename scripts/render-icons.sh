#!/usr/bin/env bash
# Renders build/icon.svg into every icon file electron-builder needs, so CI and packagers never
# need these tools: the outputs are committed. Re-run after editing the SVG.
#   Linux:   build/icons/NxN.png (16…1024; electron-builder picks the sizes from the file names)
#   all:     build/icon.png (1024×1024, also the fallback for any platform)
#   Windows: build/icon.ico (16, 24, 32, 48, 64, 128, 256 — 256 is the largest ICO entry Windows uses)
#   macOS:   build/icon.icns (16, 32, 48, 128, 256, 512, 1024 — png2icns packs what it recognises)
# Tools (Debian): apt-get install -y librsvg2-bin imagemagick icnsutils
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
svg="$root/build/icon.svg"
out="$root/build"

# ImageMagick 6 ships `convert`, 7 ships `magick`; prefer the real binary in /usr/bin over any wrapper.
if [ -x /usr/bin/convert ]; then im=(/usr/bin/convert); elif command -v magick >/dev/null; then im=(magick); else im=(convert); fi
for tool in rsvg-convert png2icns; do
  command -v "$tool" >/dev/null || { echo "render-icons: $tool is missing (apt-get install -y librsvg2-bin icnsutils imagemagick)" >&2; exit 1; }
done

mkdir -p "$out/icons"
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert --width "$size" --height "$size" "$svg" --output "$out/icons/${size}x${size}.png"
done
cp "$out/icons/1024x1024.png" "$out/icon.png"

ico_sizes=(16 24 32 48 64 128 256)
ico_inputs=()
for size in "${ico_sizes[@]}"; do ico_inputs+=("$out/icons/${size}x${size}.png"); done
"${im[@]}" "${ico_inputs[@]}" "$out/icon.ico"

icns_inputs=()
for size in 16 32 48 128 256 512 1024; do icns_inputs+=("$out/icons/${size}x${size}.png"); done
png2icns "$out/icon.icns" "${icns_inputs[@]}" >/dev/null

echo "render-icons: wrote build/icons/*.png, build/icon.png, build/icon.ico, build/icon.icns"
