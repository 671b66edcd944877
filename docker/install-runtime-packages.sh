#!/bin/sh
# The operating-system packages the gateway needs at run time, on Debian 12 (bookworm): the Docker image
# runs this, and CI runs it with --check on its own Debian machine, so a wrong package name fails CI
# before it fails a `docker build`.
#   openjdk-17-jre-headless  the Java runtime (Debian's own build, updated with the distribution)
#   libturbojpeg0            fast JPEG decoding, shrunk on load (without it: ImageIO, several times slower)
#   espeak-ng                the offline speech engine
#   libasound2               Java Sound on ALSA, for a speaker (docker run --device /dev/snd)
#   ca-certificates          the CAs Azure IoT Hub, Azure Speech and https snapshot cameras are checked against
#   curl                     the image's HEALTHCHECK asks /health/ready with it
#   fonts-dejavu-core        the labels and scores drawn on the live view's and events' pictures
# Usage: install-runtime-packages.sh          install them (as root)
#        install-runtime-packages.sh --check  only ask apt whether each one can be installed (changes nothing)
set -eu

PACKAGES="openjdk-17-jre-headless libturbojpeg0 espeak-ng libasound2 ca-certificates curl fonts-dejavu-core"

if [ "${1:-}" = "--check" ]; then
    . /etc/os-release
    if [ "${VERSION_CODENAME:-}" != bookworm ]; then
        echo "install-runtime-packages: this is ${PRETTY_NAME:-an unknown system}, not Debian 12 (bookworm), which the image uses: the check proves less" >&2
    fi
    # a simulated install resolves every name and its dependencies; an unknown name fails it
    if ! apt-get install --simulate --no-install-recommends -q $PACKAGES >/dev/null 2>&1; then
        apt-get update -q >/dev/null
        apt-get install --simulate --no-install-recommends -q $PACKAGES >/dev/null
    fi
    echo "install-runtime-packages: all of $PACKAGES can be installed here"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $PACKAGES
rm -rf /var/lib/apt/lists/*
