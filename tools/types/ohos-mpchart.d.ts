// module: @ohos/mpchart
//
// Our own declarations of the parts of the ohpm package @ohos/mpchart (OpenHarmony-SIG ohos-MPChart,
// the ArkTS port of MPAndroidChart; the app depends on 3.0.27) that QuoteDeck uses. Used only by
// `npm run check` (tools/check/arkts.mjs maps the module name to this file); on a device the
// package's own sources apply, so nothing is declared here that the package does not export.
//
// Written from the library sources (index.ets export list; ChartModel, BarLineChartBaseModel,
// CombinedChartModel, ChartData, CombinedData, DataSet, BaseDataSet, LineDataSet, LineRadarDataSet,
// LineScatterCandleRadarDataSet, CandleDataSet, BarDataSet, EntryOhos, CandleEntry, BarEntry,
// AxisBase, ComponentBase, XAxis, YAxis, Highlight, IAxisValueFormatter, JArrayList,
// ChartTouchListener, OnChartGestureListener, BarLineChartTouchListener) and the README
// (docs/harmonyos-api-facts.md §2). Facts worth knowing when reading call sites:
// - Data containers take a JArrayList of data sets (CandleData also a plain array); ChartData has
//   notifyDataChanged() (no notifyDataSetChanged()); a DataSet has notifyDataSetChanged() (recomputes
//   its min/max); the model's notifyDataSetChanged() recomputes axes, legend and offsets; invalidate()
//   redraws on the canvas the chart component handed to the model.
// - CandleEntry(x, shadowHigh, shadowLow, open, close): high and low come first; y = (high + low) / 2
//   is set by the constructor only (setHigh/setLow do not move it: call setY).
// - getXAxis()/getAxisLeft()/getAxisRight()/getDescription()/getLegend() return T | null.
// - Colours are numbers (0xRRGGBB or 0xAARRGGBB) as ResourceManager.getColorSync returns them.
// - The chart components are ArkUI @Component structs whose `model` property takes the matching model
//   (`LineChart({ model: this.lineModel })`). A struct cannot be declared in a .d.ts (the parser only
//   knows `struct` in ETS files), so they are declared in ohos-mpchart/components.d.ets and re-exported.

export { LineChart, CandleStickChart, BarChart, CombinedChart } from './ohos-mpchart/components';

// ---------------------------------------------------------------------------------------------
// Utilities

/** The library's list (a Java-style ArrayList over `dataSource`). */
export declare class JArrayList<T> {
  dataSource: Array<T>;
  listSize: number;
  constructor();
  add(element: T): JArrayList<T>;
  append(element: T): void;
  get(pos: number): T;
  at(pos: number): T;
  set(pos: number, element: T): boolean;
  remove(element: T): boolean;
  removeIndex(index: number): boolean;
  contains(element: T): boolean;
  indexOf(element: T): number;
  clear(): void;
  size(): number;
  length(): number;
  isEmpty(): boolean;
  toArray(a?: T[]): T[];
}

/** An icon for an entry (unused by QuoteDeck; declared for the entry constructors). */
export declare class ChartPixelMap {
  constructor();
}

/** Paint style of candle bodies. */
export declare enum Style {
  FILL,
  STROKE,
  FILL_AND_STROKE
}

// ---------------------------------------------------------------------------------------------
// Entries

export declare abstract class BaseEntry {
  constructor(y?: number, icon?: ChartPixelMap, data?: Object);
  getY(): number;
  setY(y: number): void;
  getIcon(): ChartPixelMap | null;
  setIcon(icon: ChartPixelMap): void;
  getData(): Object | null;
  setData(data: Object): void;
}

export declare class EntryOhos extends BaseEntry {
  constructor(x?: number, y?: number, icon?: ChartPixelMap, data?: Object);
  getX(): number;
  setX(x: number): void;
  copy(): EntryOhos;
  equalTo(e: EntryOhos): boolean;
}

export declare class CandleEntry extends EntryOhos {
  /** Note the order: x, high, low, open, close. */
  constructor(x: number, shadowH: number, shadowL: number, open: number, close: number, icon?: ChartPixelMap, data?: object);
  copy(): CandleEntry;
  getShadowRange(): number;
  getBodyRange(): number;
  getHigh(): number;
  setHigh(shadowH: number): void;
  getLow(): number;
  setLow(shadowL: number): void;
  getOpen(): number;
  setOpen(open: number): void;
  getClose(): number;
  setClose(close: number): void;
}

export declare class BarEntry extends EntryOhos {
  constructor(x?: number, y?: number | number[], icon?: ChartPixelMap, data?: Object);
  copy(): BarEntry;
  getYVals(): number[] | null;
  setVals(vals: number[]): void;
  isStacked(): boolean;
}

// ---------------------------------------------------------------------------------------------
// Highlighting, listeners, formatters

export declare class Highlight {
  constructor(x: number, y: number, dataSetIndex: number, dataIndex: number, stackIndex: number, xPx: number, yPx: number,
    axis: AxisDependency | null);
  getX(): number;
  getY(): number;
  getXPx(): number;
  getYPx(): number;
  getDataIndex(): number;
  setDataIndex(mDataIndex: number): void;
  getDataSetIndex(): number;
  getStackIndex(): number;
  isStacked(): boolean;
  getAxis(): AxisDependency | null;
  getDrawX(): number;
  getDrawY(): number;
  equalTo(h: Highlight | null): boolean;
}

/** Called when a value is selected (tapped) in the chart, or the selection is cleared. */
export declare interface OnChartValueSelectedListener {
  onValueSelected(e: EntryOhos, h: Highlight): void;
  onNothingSelected(): void;
}

/** Formats axis labels (e.g. x values into clock times). */
export declare interface IAxisValueFormatter {
  getFormattedValue(value: number, axis: AxisBase): string;
}

/** The last gesture a chart recognised (ChartTouchListener.ChartGesture). */
export declare enum ChartGesture {
  NONE,
  DRAG,
  X_ZOOM,
  Y_ZOOM,
  PINCH_ZOOM,
  ROTATE,
  SINGLE_TAP,
  DOUBLE_TAP,
  LONG_PRESS,
  FLING
}

/**
 * Gesture callbacks of a bar/line chart (README "Construct a listener for gesture events"). Its
 * members are function-typed properties. onChartScale follows a pinch or double-tap zoom,
 * onChartTranslate a drag and every frame of the fling that follows it (the touch matrix is
 * refreshed right after the callback, so read the viewport on the next turn).
 */
export declare interface OnChartGestureListener {
  onChartGestureStart: (isTouchEvent: boolean, me: TouchEvent | GestureEvent, lastPerformedGesture: ChartGesture) => void;
  onChartGestureEnd: (isTouchEvent: boolean, me: TouchEvent | GestureEvent, lastPerformedGesture: ChartGesture) => void;
  onChartLongPressed: (isTouchEvent: boolean, me: TouchEvent | GestureEvent) => void;
  onChartDoubleTapped: (isTouchEvent: boolean, me: TouchEvent | GestureEvent) => void;
  onChartSingleTapped: (isTouchEvent: boolean, me: TouchEvent | GestureEvent) => void;
  onChartFling: (isTouchEvent: boolean, me1: TouchEvent | GestureEvent, me2: TouchEvent, velocityX: number,
    velocityY: number) => void;
  onChartScale: (isTouchEvent: boolean, me: TouchEvent | GestureEvent, scaleX: number, scaleY: number) => void;
  onChartTranslate: (isTouchEvent: boolean, me: TouchEvent | GestureEvent, dX: number, dY: number) => void;
  onChartMove: (isTouchEvent: boolean, me: TouchEvent | GestureEvent) => void;
}

// ---------------------------------------------------------------------------------------------
// Components: axes, legend, description, limit lines

export declare abstract class ComponentBase {
  constructor();
  getXOffset(): number;
  setXOffset(xOffset: number): void;
  getYOffset(): number;
  setYOffset(yOffset: number): void;
  setTextSize(size: number): void;
  getTextSize(): number;
  setTextColor(color: string | number | CanvasGradient | CanvasPattern): void;
  getTextColor(): string | number | CanvasGradient | CanvasPattern;
  setEnabled(enabled: boolean): void;
  isEnabled(): boolean;
}

export declare enum LimitLabelPosition {
  LEFT_TOP,
  LEFT_BOTTOM,
  RIGHT_TOP,
  RIGHT_BOTTOM
}

export declare class LimitLine extends ComponentBase {
  constructor(limit: number, label?: string);
  getLimit(): number;
  setLineWidth(width: number): void;
  getLineWidth(): number;
  setLineColor(color: number): void;
  getLineColor(): number;
  enableDashedLine(lineLength: number, spaceLength: number, phase: number): void;
  disableDashedLine(): void;
  setLabelPosition(pos: LimitLabelPosition): void;
  setLabel(label: string): void;
  getLabel(): string;
}

export declare abstract class AxisBase extends ComponentBase {
  mAxisMaximum: number;
  mAxisMinimum: number;
  mAxisRange: number;
  constructor();
  setDrawGridLines(enabled: boolean): void;
  isDrawGridLinesEnabled(): boolean;
  setDrawAxisLine(enabled: boolean): void;
  isDrawAxisLineEnabled(): boolean;
  setGridColor(color: number): void;
  getGridColor(): number;
  setGridAlpha(alpha: number): void;
  setGridLineWidth(width: number): void;
  setAxisLineColor(color: number): void;
  setAxisLineWidth(width: number): void;
  setDrawLabels(enabled: boolean): void;
  isDrawLabelsEnabled(): boolean;
  setLabelCount(count: number, force?: boolean): void;
  getLabelCount(): number;
  setGranularityEnabled(enabled: boolean): void;
  setGranularity(granularity: number): void;
  getGranularity(): number;
  addLimitLine(l: LimitLine): void;
  removeLimitLine(l: LimitLine): void;
  removeAllLimitLines(): void;
  setDrawLimitLinesBehindData(enabled: boolean): void;
  setDrawGridLinesBehindData(enabled: boolean): void;
  setValueFormatter(f: IAxisValueFormatter): void;
  getValueFormatter(): IAxisValueFormatter;
  enableGridDashedLine(lineLength: number, spaceLength: number, phase: number): void;
  disableGridDashedLine(): void;
  setAxisMinimum(min: number): void;
  setAxisMaximum(max: number): void;
  resetAxisMinimum(): void;
  resetAxisMaximum(): void;
  getAxisMinimum(): number;
  getAxisMaximum(): number;
  setSpaceMin(mSpaceMin: number): void;
  setSpaceMax(mSpaceMax: number): void;
}

export declare enum XAxisPosition {
  TOP,
  BOTTOM,
  BOTH_SIDED,
  TOP_INSIDE,
  BOTTOM_INSIDE
}

export declare class XAxis extends AxisBase {
  constructor();
  getPosition(): XAxisPosition;
  setPosition(pos: XAxisPosition): void;
  setLabelRotationAngle(angle: number): void;
  setAvoidFirstLastClipping(enabled: boolean): void;
  setLabelXOffset(xOffset: number): void;
}

export declare enum AxisDependency {
  LEFT,
  RIGHT
}

export declare enum YAxisLabelPosition {
  OUTSIDE_CHART,
  INSIDE_CHART
}

export declare class YAxis extends AxisBase {
  constructor(position?: AxisDependency);
  getAxisDependency(): AxisDependency;
  setMinWidth(minWidth: number): void;
  setMaxWidth(maxWidth: number): void;
  getLabelPosition(): YAxisLabelPosition;
  setPosition(pos: YAxisLabelPosition): void;
  setDrawTopYLabelEntry(enabled: boolean): void;
  setDrawBottomYLabelEntry(enabled: boolean): void;
  setInverted(enabled: boolean): void;
  isInverted(): boolean;
  /** Space above the largest value, in percent of the range (default 10). */
  setSpaceTop(percent: number): void;
  getSpaceTop(): number;
  /** Space below the smallest value, in percent of the range (default 10). */
  setSpaceBottom(percent: number): void;
  getSpaceBottom(): number;
  setDrawZeroLine(enabled: boolean): void;
  setZeroLineColor(color: number): void;
}

export declare enum LegendForm {
  NONE,
  EMPTY,
  DEFAULT,
  SQUARE,
  CIRCLE,
  LINE
}

export declare enum LegendHorizontalAlignment {
  LEFT,
  CENTER,
  RIGHT
}

export declare enum LegendVerticalAlignment {
  TOP,
  CENTER,
  BOTTOM
}

export declare class Legend extends ComponentBase {
  constructor();
  setForm(shape: LegendForm): void;
  setFormSize(size: number): void;
  setHorizontalAlignment(value: LegendHorizontalAlignment): void;
  setVerticalAlignment(value: LegendVerticalAlignment): void;
  setDrawInside(value: boolean): void;
  setWordWrapEnabled(enabled: boolean): void;
}

export declare class Description extends ComponentBase {
  constructor();
  setText(text: string): void;
  getText(): string;
}

// ---------------------------------------------------------------------------------------------
// Data sets

export declare enum Rounding {
  UP,
  DOWN,
  CLOSEST
}

export declare interface IDataSet<T extends EntryOhos> {
  getYMin(): number;
  getYMax(): number;
  getXMin(): number;
  getXMax(): number;
  getEntryCount(): number;
  calcMinMax(): void;
  getEntryForIndex(index: number): T;
  getEntryForXValue(xValue: number, closestToY: number, rounding?: Rounding): T | null;
  getEntriesForXValue(xValue: number): JArrayList<T>;
  getEntryIndex(xValue: number, closestToY: number, rounding: Rounding): number;
  addEntry(e: T): boolean;
  removeEntry(e: T): boolean;
  clear(): void;
  getLabel(): string;
  setLabel(label: string): void;
  getAxisDependency(): AxisDependency;
  setAxisDependency(dependency: AxisDependency): void;
  isHighlightEnabled(): boolean;
  setHighlightEnabled(enabled: boolean): void;
  setDrawValues(enabled: boolean): void;
  isDrawValuesEnabled(): boolean;
  setVisible(visible: boolean): void;
  isVisible(): boolean;
  notifyDataSetChanged(): void;
}

export declare interface IBarLineScatterCandleBubbleDataSet<T extends EntryOhos> extends IDataSet<T> {
  getHighLightColor(): number;
}

export declare interface ILineScatterCandleRadarDataSet<T extends EntryOhos> extends IBarLineScatterCandleBubbleDataSet<T> {
  isVerticalHighlightIndicatorEnabled(): boolean;
  isHorizontalHighlightIndicatorEnabled(): boolean;
  getHighlightLineWidth(): number;
}

export declare interface ILineRadarDataSet<T extends EntryOhos> extends ILineScatterCandleRadarDataSet<T> {
  getFillColor(): number;
  getFillAlpha(): number;
  getLineWidth(): number;
  isDrawFilledEnabled(): boolean;
}

export declare interface ILineDataSet extends ILineRadarDataSet<EntryOhos> {
  getMode(): Mode;
  isDrawCirclesEnabled(): boolean;
}

export declare interface ICandleDataSet extends ILineScatterCandleRadarDataSet<CandleEntry> {
  getBarSpace(): number;
  getShadowWidth(): number;
  getIncreasingColor(): number;
  getDecreasingColor(): number;
}

export declare interface IBarDataSet extends IBarLineScatterCandleBubbleDataSet<BarEntry> {
  isStacked(): boolean;
  getStackSize(): number;
}

export declare abstract class BaseDataSet<T extends EntryOhos> implements IDataSet<T> {
  constructor(label?: string);
  notifyDataSetChanged(): void;
  getColors(): JArrayList<Number>;
  getColor(index?: number): number;
  setColorsByList(colors: JArrayList<Number>): void;
  setColorsByVariable(colors: number[]): void;
  setColorsByArr(colors: number[]): void;
  addColor(color: number): void;
  setColorByColor(color: number): void;
  resetColors(): void;
  setLabel(label: string): void;
  getLabel(): string;
  setHighlightEnabled(enabled: boolean): void;
  isHighlightEnabled(): boolean;
  setValueTextColor(color: number): void;
  setValueTextSize(size: number): void;
  setForm(form: LegendForm): void;
  setDrawValues(enabled: boolean): void;
  isDrawValuesEnabled(): boolean;
  setDrawIcons(enabled: boolean): void;
  isDrawIconsEnabled(): boolean;
  setVisible(visible: boolean): void;
  isVisible(): boolean;
  getAxisDependency(): AxisDependency;
  setAxisDependency(dependency: AxisDependency): void;
  removeFirst(): boolean;
  removeLast(): boolean;
  getYMin(): number;
  getYMax(): number;
  getXMin(): number;
  getXMax(): number;
  getEntryCount(): number;
  calcMinMax(): void;
  calcMinMaxY(fromX: number, toX: number): void;
  getEntryForXValue(xValue: number, closestToY: number, rounding?: Rounding): T | null;
  getEntriesForXValue(xValue: number): JArrayList<T>;
  getEntryForIndex(index: number): T;
  getEntryIndex(xValue: number, closestToY: number, rounding: Rounding): number;
  getEntryIndexByEntry(e: T): number;
  addEntry(e: T): boolean;
  addEntryOrdered(e: T): void;
  removeEntry(e: T): boolean;
  clear(): void;
}

export declare abstract class DataSet<T extends EntryOhos> extends BaseDataSet<T> {
  constructor(entries: JArrayList<T> | null, label: string);
  getEntries(): JArrayList<T> | null;
  getValues(): JArrayList<T> | null;
  setEntries(entries: JArrayList<T>): void;
  setValues(values: JArrayList<T>): void;
}

export declare abstract class BarLineScatterCandleBubbleDataSet<T extends EntryOhos> extends DataSet<T>
  implements IBarLineScatterCandleBubbleDataSet<T> {
  constructor(yVals: JArrayList<T> | null, label: string);
  setHighLightColor(color: number): void;
  getHighLightColor(): number;
}

export declare abstract class LineScatterCandleRadarDataSet<T extends EntryOhos> extends BarLineScatterCandleBubbleDataSet<T>
  implements ILineScatterCandleRadarDataSet<T> {
  constructor(yVals: JArrayList<T> | null, label: string);
  setDrawHorizontalHighlightIndicator(enabled: boolean): void;
  setDrawVerticalHighlightIndicator(enabled: boolean): void;
  setDrawHighlightIndicators(enabled: boolean): void;
  isVerticalHighlightIndicatorEnabled(): boolean;
  isHorizontalHighlightIndicatorEnabled(): boolean;
  setHighlightLineWidth(width: number): void;
  getHighlightLineWidth(): number;
  enableDashedHighlightLine(lineLength: number, spaceLength: number, phase: number): void;
  disableDashedHighlightLine(): void;
}

/** A colour stop of a gradient fill: [colour, offset 0..1]. */
export type ChartColorStop = [string, number];

export declare abstract class LineRadarDataSet<T extends EntryOhos> extends LineScatterCandleRadarDataSet<T>
  implements ILineRadarDataSet<T> {
  constructor(yVals: JArrayList<T> | null, label: string);
  getFillColor(): number;
  setFillColor(color: number): void;
  setGradientFillColor(linearGradientColors: JArrayList<ChartColorStop>): void;
  getFillAlpha(): number;
  /** 0..255, default 85. */
  setFillAlpha(alpha: number): void;
  setLineWidth(width: number): void;
  getLineWidth(): number;
  setDrawFilled(filled: boolean): void;
  isDrawFilledEnabled(): boolean;
}

export declare enum Mode {
  LINEAR,
  STEPPED,
  CUBIC_BEZIER,
  HORIZONTAL_BEZIER
}

export declare class LineDataSet extends LineRadarDataSet<EntryOhos> implements ILineDataSet {
  constructor(yVals: JArrayList<EntryOhos> | null, label: string);
  copy(): DataSet<EntryOhos>;
  getMode(): Mode;
  setMode(mode: Mode): void;
  setCubicIntensity(intensity: number): void;
  setCircleRadius(radius: number): void;
  setCircleHoleRadius(holeRadius: number): void;
  enableDashedLine(lineLength: number, spaceLength: number, phase: number): void;
  disableDashedLine(): void;
  isDashedLineEnabled(): boolean;
  setDrawCircles(enabled: boolean): void;
  isDrawCirclesEnabled(): boolean;
  setCircleColor(color: number): void;
  setCircleColors(colors: number[]): void;
  setCircleHoleColor(color: number): void;
  setDrawCircleHole(enabled: boolean): void;
}

export declare class CandleDataSet extends LineScatterCandleRadarDataSet<CandleEntry> implements ICandleDataSet {
  constructor(yVals: JArrayList<CandleEntry>, label: string);
  copy(): DataSet<CandleEntry>;
  /** Space left and right of each candle, 0..0.45 of the x step (default 0.1). */
  setBarSpace(space: number): void;
  getBarSpace(): number;
  setShadowWidth(width: number): void;
  getShadowWidth(): number;
  setShowCandleBar(showCandleBar: boolean): void;
  setNeutralColor(color: number): void;
  getNeutralColor(): number;
  setIncreasingColor(color: number): void;
  getIncreasingColor(): number;
  setDecreasingColor(color: number): void;
  getDecreasingColor(): number;
  setIncreasingPaintStyle(paintStyle: Style): void;
  setDecreasingPaintStyle(decreasingPaintStyle: Style): void;
  setShadowColor(shadowColor: number): void;
  setShadowColorSameAsCandle(shadowColorSameAsCandle: boolean): void;
}

export declare class BarDataSet extends BarLineScatterCandleBubbleDataSet<BarEntry> implements IBarDataSet {
  constructor(yVals: JArrayList<BarEntry>, label: string);
  copy(): DataSet<BarEntry>;
  getStackSize(): number;
  isStacked(): boolean;
  setBarShadowColor(color: number): void;
  setBarBorderWidth(width: number): void;
  setBarBorderColor(color: number): void;
  setHighLightAlpha(alpha: number): void;
  setStackLabels(labels: string[]): void;
}

// ---------------------------------------------------------------------------------------------
// Chart data

export declare class ChartData<T extends IDataSet<EntryOhos>> {
  constructor();
  constructor(dataSets: JArrayList<T>);
  constructor(dataSets: T[]);
  /** Recomputes min/max over all data sets (after entries changed). */
  notifyDataChanged(): void;
  calcMinMaxY(fromX: number, toX: number): void;
  calcMinMax(): void;
  getDataSetCount(): number;
  getYMin(): number;
  getYMin(axis: AxisDependency): number;
  getYMax(): number;
  getYMax(axis: AxisDependency): number;
  getXMin(): number;
  getXMax(): number;
  getDataSets(): JArrayList<T>;
  getDataSetLabels(): string[];
  getEntryForHighlight(highlight: Highlight): EntryOhos | null;
  getDataSetByLabel(label: string, ignorecase: boolean): T | null;
  getDataSetByIndex(index: number): T | null;
  addDataSet(d: T): void;
  removeDataSet(d: T): boolean;
  removeDataSetByIndex(index: number): boolean;
  addEntry(e: EntryOhos, dataSetIndex: number): void;
  removeEntry(e: EntryOhos, dataSetIndex: number): boolean;
  removeEntryByXValue(xValue: number, dataSetIndex: number): boolean;
  setHighlightEnabled(enabled: boolean): void;
  getEntryCount(): number;
  clearValues(): void;
}

export declare class BarLineScatterCandleBubbleData<T extends IBarLineScatterCandleBubbleDataSet<EntryOhos>> extends ChartData<T> {
  constructor();
  constructor(dataSets: JArrayList<T>);
  constructor(dataSets: T[]);
}

export declare class LineData extends BarLineScatterCandleBubbleData<ILineDataSet> {
  constructor();
  constructor(dataSets: JArrayList<ILineDataSet>);
}

export declare class CandleData extends BarLineScatterCandleBubbleData<ICandleDataSet> {
  constructor();
  constructor(dataSets: JArrayList<ICandleDataSet>);
  constructor(dataSets: ICandleDataSet[]);
}

export declare class BarData extends BarLineScatterCandleBubbleData<IBarDataSet> {
  constructor();
  constructor(dataSets: JArrayList<IBarDataSet>);
  /** Bar width in x units (default 0.85). */
  setBarWidth(mBarWidth: number): void;
  getBarWidth(): number;
  groupBars(fromX: number, groupSpace: number, barSpace: number): void;
}

export declare class CombinedData extends BarLineScatterCandleBubbleData<IBarLineScatterCandleBubbleDataSet<EntryOhos>> {
  constructor();
  setLineData(data: LineData): void;
  setBarData(data: BarData): void;
  setCandleData(data: CandleData): void;
  getLineData(): LineData | null;
  getBarData(): BarData | null;
  getCandleData(): CandleData | null;
  /** Notifies every contained data object, then recomputes the combined min/max. */
  notifyDataChanged(): void;
}

// ---------------------------------------------------------------------------------------------
// Chart models (what the chart components draw)

export declare abstract class ChartModel<T extends ChartData<IDataSet<EntryOhos>>> {
  constructor();
  setData(data: T | null): void;
  getData(): T | null;
  /** Drops the data (the chart shows its no-data text). */
  clear(): void;
  clearValues(): void;
  isEmpty(): boolean;
  /** Recomputes axes, legend and offsets after the data changed. */
  notifyDataSetChanged(): void;
  /** Redraws on the canvas the chart component provided. */
  invalidate(): void;
  getXAxis(): XAxis | null;
  setOnChartValueSelectedListener(l: OnChartValueSelectedListener): void;
  setOnChartGestureListener(l: OnChartGestureListener): void;
  getOnChartGestureListener(): OnChartGestureListener | null;
  setDescription(desc: Description): void;
  getDescription(): Description | null;
  getLegend(): Legend | null;
  setNoDataText(text: string): void;
  setNoDataTextColor(color: number | string): void;
  setTouchEnabled(enabled: boolean): void;
  getTouchEnabled(): boolean;
  setHighlightPerTapEnabled(enabled: boolean): void;
  setHighlightPerLongPressEnabled(enabled: boolean): void;
  isHighlightPerLongPressEnabled(): boolean;
  isHighlightPerTapEnabled(): boolean;
  getHighlighted(): Highlight[] | null;
  valuesToHighlight(): boolean;
  highlightValuesForArray(highs: Highlight[]): void;
  highlightValue(x: number, y?: number, dataSetIndex?: number, dataIndex?: number, callListener?: boolean): void;
  highlightValueForObject(high: Highlight | null, callListener?: boolean): void;
  setDragDecelerationEnabled(enabled: boolean): void;
  isDragDecelerationEnabled(): boolean;
  setDragDecelerationFrictionCoef(newValue: number): void;
  setMaxHighlightDistance(distDp: number): void;
  setExtraOffsets(left: number, top: number, right: number, bottom: number): void;
  setDrawMarkers(enabled: boolean): void;
  animateX(durationMillis: number): void;
  animateY(durationMillis: number): void;
  animateXY(durationMillisX: number, durationMillisY: number): void;
  getXChartMax(): number;
  getXChartMin(): number;
  getXRange(): number;
  setLogEnabled(enabled: boolean): void;
}

export declare abstract class BarLineChartBaseModel<T extends BarLineScatterCandleBubbleData<IBarLineScatterCandleBubbleDataSet<EntryOhos>>>
  extends ChartModel<T> {
  constructor();
  resetTracking(): void;
  setMaxVisibleValueCount(count: number): void;
  getMaxVisibleCount(): number;
  setHighlightPerDragEnabled(enabled: boolean): void;
  setGridBackgroundColor(color: string | number | CanvasGradient | CanvasPattern): void;
  setDragEnabled(enabled: boolean): void;
  isDragEnabled(): boolean;
  setDragXEnabled(enabled: boolean): void;
  setDragYEnabled(enabled: boolean): void;
  setScaleEnabled(enabled: boolean): void;
  setScaleXEnabled(enabled: boolean): void;
  setScaleYEnabled(enabled: boolean): void;
  isScaleXEnabled(): boolean;
  isScaleYEnabled(): boolean;
  setDoubleTapToZoomEnabled(enabled: boolean): void;
  setDrawGridBackground(enabled: boolean): void;
  setDrawBorders(enabled: boolean): void;
  setBorderWidth(width: number): void;
  setBorderColor(color: number): void;
  setClipDataToContent(enabled: boolean): void;
  getMinOffset(): number;
  setMinOffset(minOffset: number): void;
  setKeepPositionOnRotation(keepPositionOnRotation: boolean): void;
  /** Two-finger zoom of both axes at once (false: x and y scale separately). */
  setPinchZoom(enabled: boolean): void;
  isPinchZoomEnabled(): boolean;
  setAutoScaleMinMaxEnabled(enabled: boolean): void;
  isAutoScaleMinMaxEnabled(): boolean;
  getAxisLeft(): YAxis | null;
  getAxisRight(): YAxis | null;
  getAxis(axis: AxisDependency): YAxis | null;
  zoomIn(): void;
  zoomOut(): void;
  resetZoom(): void;
  zoom(scaleX: number, scaleY: number, xValue: number, yValue: number, axis?: AxisDependency): void;
  zoomToCenter(scaleX: number, scaleY: number): void;
  fitScreen(): void;
  setScaleMinima(scaleX: number, scaleY: number): void;
  setVisibleXRangeMaximum(maxXRange: number): void;
  setVisibleXRangeMinimum(minXRange: number): void;
  setVisibleXRange(minXRange: number, maxXRange: number): void;
  /** Moves the left edge of the viewport to xValue (runs once the chart has its size). */
  moveViewToX(xValue: number): void;
  moveViewTo(xValue: number, yValue: number, axis: AxisDependency): void;
  centerViewTo(xValue: number, yValue: number, axis: AxisDependency): void;
  getLowestVisibleX(): number;
  getHighestVisibleX(): number;
  getVisibleXRange(): number;
  getScaleX(): number;
  getScaleY(): number;
  isFullyZoomedOut(): boolean;
  getEntryByTouchPoint(x: number, y: number): EntryOhos | null;
  getHighlightByTouchPoint(x: number, y: number): Highlight | null;
}

export declare class LineChartModel extends BarLineChartBaseModel<LineData> {
  constructor();
  getLineData(): LineData | null;
}

export declare class CandleStickChartModel extends BarLineChartBaseModel<CandleData> {
  constructor();
  getCandleData(): CandleData | null;
}

export declare class BarChartModel extends BarLineChartBaseModel<BarData> {
  constructor();
  getBarData(): BarData | null;
  setDrawValueAboveBar(enabled: boolean): void;
  setDrawBarShadow(enabled: boolean): void;
  setHighlightFullBarEnabled(enabled: boolean): void;
  setFitBars(enabled: boolean): void;
}

/** The layers of a combined chart, back to front in the order given to setDrawOrder. */
export declare enum DrawOrder {
  WATERFALL,
  BAR,
  BUBBLE,
  LINE,
  CANDLE,
  SCATTER
}

export declare class CombinedChartModel extends BarLineChartBaseModel<CombinedData> {
  constructor();
  getCombinedData(): CombinedData | null;
  getLineData(): LineData | null;
  getBarData(): BarData | null;
  getCandleData(): CandleData | null;
  setDrawValueAboveBar(enabled: boolean): void;
  setDrawBarShadow(enabled: boolean): void;
  setHighlightFullBarEnabled(enabled: boolean): void;
  isHighlightFullBarEnabled(): boolean;
  getDrawOrder(): DrawOrder[];
  setDrawOrder(order: DrawOrder[]): void;
}
