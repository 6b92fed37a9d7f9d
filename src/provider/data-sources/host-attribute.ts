/** The `host` argument every data source takes, validated as the resource's. */
import { hostProblem } from '../../host';
import { attr, t } from '../../tfplugin';

export const hostAttribute = () =>
  attr.required(t.string, {
    description: 'The Windows host: a name, `name:port`, or a full `http(s)://host:port/wsman` URL.',
    validators: [(v: string) => hostProblem(v)],
  });
