export const SONIC_VERSION = '0.1.0';
