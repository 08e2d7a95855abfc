#!/bin/sh
# Add BERT Lab to this user's application menu: run it from inside the copied bundle folder.
# It writes only to ~/.local/share (the menu entry and the icon), never into the bundle.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/bert-lab.png" "$icons/bert-lab.png"
sed "s|@BUNDLE_DIR@|$here|g" "$here/bert-lab.desktop" > "$apps/bert-lab.desktop"
chmod +x "$apps/bert-lab.desktop"
echo "BERT Lab added to the application menu ($apps/bert-lab.desktop)"
