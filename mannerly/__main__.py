from mannerly.cli import main

raise SystemExit(main())
