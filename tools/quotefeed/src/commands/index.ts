// Every command, in the order `quotefeed --help` lists them.
import { CommandRegistry } from '../registry';
import { brokerCommand } from './broker';
import { publishCommand } from './publish';
import { replayCommand } from './replay';
import { recordCommand } from './record';
import { watchCommand } from './watch';
import { demoCommand } from './demo';
import { bridgeCommand } from '../bridge/command';
import { keygenCommand } from './keygen';

export function createRegistry(): CommandRegistry {
  return new CommandRegistry()
    .register(brokerCommand)
    .register(publishCommand)
    .register(replayCommand)
    .register(recordCommand)
    .register(watchCommand)
    .register(demoCommand)
    .register(bridgeCommand)
    .register(keygenCommand);
}
