import AccordCLI

await Accord.commandLine()
