// Every command, in the order `quotefeed --help` lists them. Add watch/demo here.
import { CommandRegistry } from '../registry';
import { brokerCommand } from './broker';
import { publishCommand } from './publish';
import { replayCommand } from './replay';
import { recordCommand } from './record';

export function createRegistry(): CommandRegistry {
  return new CommandRegistry().register(brokerCommand).register(publishCommand).register(replayCommand).register(recordCommand);
}
