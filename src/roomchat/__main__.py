from roomchat.cli import main

raise SystemExit(main())
