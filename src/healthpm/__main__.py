from healthpm.cli import main

main()
