// module: @ohos/mpchart
export declare class LineChartModel {
  constructor();
  invalidate(): void;
}
export { LineChart } from './ohos-mpchart/components';
