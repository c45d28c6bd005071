#!/bin/sh
echo "hello from $(cat /etc/hello-version)"
