#!/usr/bin/env python
from drugatlas.__main__ import main

if __name__ == "__main__":
    main()
