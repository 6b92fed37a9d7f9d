/** InitializationParameters names as Register writes them (the InitialSessionStateProvider's token list). */
export const PARAM = {
  psVersion: 'PSVersion',
  startupScript: 'startupscript',
  maxReceivedDataPerCommand: 'psmaximumreceiveddatasizepercommandmb',
  maxReceivedObject: 'psmaximumreceivedobjectsizemb',
  apartmentState: 'pssessionthreadapartmentstate',
  threadOptions: 'pssessionthreadoptions',
  sessionData: 'sessionconfigurationdata',
  configFilePath: 'ConfigFilePath',
} as const;
