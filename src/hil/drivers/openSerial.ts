import { SerialPort } from "serialport";
import { DeviceError } from "../../core/errors.js";
import { SerialLine, type LineOptions } from "./serialLine.js";

/** Serial settings of one port (8N1, no flow control, as Chemyx pumps expect). */
export interface SerialSettings extends LineOptions {
  path: string;
  baudRate: number;
}

/**
 * Open a real serial port (or pseudo-terminal) and wrap it as a {@link SerialLine}.
 * A port that cannot be opened is a DeviceError naming the device and the path.
 */
export async function openSerialLine(device: string, s: SerialSettings): Promise<SerialLine> {
  const port = new SerialPort({ path: s.path, baudRate: s.baudRate, dataBits: 8, parity: "none", stopBits: 1, rtscts: false, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((e) =>
      e
        ? reject(
            new DeviceError(
              device,
              `cannot open serial port ${s.path}: ${e.message}`,
              "check the port path (ls /dev/serial/by-id), permissions (dialout group) and that no other program holds it",
            ),
          )
        : resolve(),
    ),
  );
  return new SerialLine(device, s.path, port, s);
}
