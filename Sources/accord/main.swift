import AccordCLI
import AccordServer

// The commands are AccordCLI's; `accord serve` runs AccordServer's web application, which
// only this executable links with them.
await Accord.commandLine(serving: WebServer.serve)
